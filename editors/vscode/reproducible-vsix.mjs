// Rewrites a .vsix with fixed timestamps, so that the same sources and package-lock.json give
// the same bytes: vsce stamps each entry with the time of the build. Entry order, names and
// contents are kept.
//
//   node reproducible-vsix.mjs jiaodui.vsix
import { createWriteStream, renameSync } from "node:fs";
import yauzl from "yauzl";
import yazl from "yazl";

const file = process.argv[2];
if (file === undefined) {
  console.error("usage: node reproducible-vsix.mjs FILE.vsix");
  process.exit(2);
}
// Local midnight, written as a DOS timestamp only: the same bytes in every time zone.
const epoch = new Date(2026, 0, 1, 0, 0, 0);

function readEntries(path) {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error) {
        reject(error);
        return;
      }
      const entries = [];
      zip.on("error", reject);
      zip.on("end", () => resolve(entries));
      zip.on("entry", (entry) => {
        if (entry.fileName.endsWith("/")) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) {
            reject(streamError);
            return;
          }
          const chunks = [];
          stream.on("data", (chunk) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const entries = await readEntries(file);
const output = new yazl.ZipFile();
for (const { name, data } of entries) {
  output.addBuffer(data, name, { mtime: epoch, mode: 0o100644, compress: true, forceDosTimestamp: true });
}
output.end();
const temporary = `${file}.tmp`;
await new Promise((resolve, reject) => {
  output.outputStream.pipe(createWriteStream(temporary)).on("close", resolve).on("error", reject);
});
renameSync(temporary, file);
