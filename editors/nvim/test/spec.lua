-- Headless end-to-end test of the Neovim plugin against the real jiaodui binary.
--
--   nvim --headless -n -u NONE -c "luafile editors/nvim/test/spec.lua"      (from the repository root)
--
-- JIAODUI_BIN       the server (default target/debug/jiaodui)
-- JIAODUI_NVIM_MODE native: lsp/jiaodui.lua through vim.lsp.config/enable (0.11)
--                   setup:  require('jiaodui').setup() (the 0.10 path)
-- Prints one line per check and `N passed, M failed`; exits with :cquit on any failure.

local root = vim.fn.getcwd()
local mode = os.getenv('JIAODUI_NVIM_MODE') or 'native'
local bin = vim.fn.fnamemodify(os.getenv('JIAODUI_BIN') or 'target/debug/jiaodui', ':p')
local testdata = root .. '/editors/testdata'
local TIMEOUT = 10000

local passed, failed = 0, 0

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function finish()
  say(('%d passed, %d failed'):format(passed, failed))
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  if failed > 0 then
    vim.cmd('cquit!')
  else
    vim.cmd('qall!')
  end
end

--- Runs one named check; a failure records the error and the checks go on.
local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    say('ok    [' .. mode .. '] ' .. name)
  else
    failed = failed + 1
    say('FAIL  [' .. mode .. '] ' .. name .. '\n      ' .. tostring(err):gsub('\n', '\n      '))
  end
  return ok
end

local function expect(condition, message)
  if not condition then
    error(message, 2)
  end
end

local function equal(actual, wanted, what)
  if not vim.deep_equal(actual, wanted) then
    error(('%s: wanted %s, got %s'):format(what, vim.inspect(wanted), vim.inspect(actual)), 2)
  end
end

local function read(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

local function write(path, text)
  local file = assert(io.open(path, 'wb'))
  file:write(text)
  file:close()
end

--- Byte column (0-based) of the first `needle` in `line`, as Neovim's diagnostics count.
local function byte_col(line, needle)
  local at = line:find(needle, 1, true)
  expect(at ~= nil, ('“%s” not in “%s”'):format(needle, line))
  return at - 1
end

local function line_of(bufnr, lnum)
  return vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, true)[1]
end

local function jiaodui_diagnostics(bufnr, rule)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'jiaodui' and (rule == nil or d.code == rule) then
      table.insert(found, d)
    end
  end
  return found
end

--- Waits for a jiaodui diagnostic of `rule` on line `lnum` (0-based) satisfying `extra`.
local function wait_diagnostic(bufnr, rule, lnum, extra)
  local found
  vim.wait(TIMEOUT, function()
    for _, d in ipairs(jiaodui_diagnostics(bufnr, rule)) do
      if d.lnum == lnum and (extra == nil or extra(d)) then
        found = d
        return true
      end
    end
    return false
  end, 20)
  expect(found ~= nil, ('no %s diagnostic on line %d; have: %s'):format(
    rule,
    lnum + 1,
    vim.inspect(vim.tbl_map(function(d)
      return { d.code, d.lnum, d.col, d.end_col }
    end, jiaodui_diagnostics(bufnr)))
  ))
  return found
end

local function client_of(bufnr)
  local client
  vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'jiaodui' })[1]
    return client ~= nil and client.initialized == true
  end, 20)
  expect(client ~= nil, 'no jiaodui client attached to buffer ' .. bufnr)
  return client
end

local function request(client, bufnr, method, params)
  local response, err = client:request_sync(method, params, TIMEOUT, bufnr)
  expect(response ~= nil, method .. ' failed: ' .. tostring(err))
  expect(response.err == nil, method .. ' error: ' .. vim.inspect(response.err))
  return response.result
end

--- True when a code action (or its edit) replaces text with `text`.
local function action_writes(action, text)
  if action.title and action.title:find(text, 1, true) then
    return true
  end
  local edit = action.edit or {}
  for _, edits in pairs(edit.changes or {}) do
    for _, e in ipairs(edits) do
      if e.newText == text then
        return true
      end
    end
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    for _, e in ipairs(change.edits or {}) do
      if e.newText == text then
        return true
      end
    end
  end
  return false
end

--- Applies the quick fix that writes `text`, at (lnum, col), through vim.lsp.buf.code_action.
local function apply_quick_fix(bufnr, lnum, col, text)
  vim.api.nvim_win_set_buf(0, bufnr)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  local offered = {}
  local original_select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    offered = items
    say('      note: several quick fixes matched; taking the first: ' .. vim.inspect(vim.tbl_map(function(item)
      return item.action and item.action.title or item
    end, items)))
    on_choice(items[1], 1)
  end
  local before = line_of(bufnr, lnum)
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.kind == 'quickfix' and action_writes(action, text)
    end,
  })
  vim.wait(TIMEOUT, function()
    return line_of(bufnr, lnum) ~= before
  end, 20)
  vim.ui.select = original_select
  return line_of(bufnr, lnum), offered
end

-- The workspace: a copy of the fixture, a line with 𠮷, and a jiaodui.toml marking the root.
local workdir = vim.fn.tempname()
vim.fn.mkdir(workdir, 'p')
workdir = vim.uv.fs_realpath(workdir)
local fixture_path = workdir .. '/hohhot-interviews-2026.txt'
write(fixture_path, read(testdata .. '/hohhot-interviews-2026.txt'))
local surrogate_path = workdir .. '/surrogate.txt'
write(surrogate_path, '𠮷先鋒队\n')
write(workdir .. '/jiaodui.toml', '# jiaodui settings for the editor test\n')
local expectations = vim.json.decode(read(testdata .. '/hohhot-interviews-2026.expect.json'))
vim.cmd.cd(workdir)

say(('NVIM v%s; server %s; mode %s'):format(tostring(vim.version()), bin, mode))
if vim.fn.executable(bin) ~= 1 then
  failed = failed + 1
  say('FAIL  no jiaodui binary at ' .. bin .. ' (cargo build, or set JIAODUI_BIN)')
  finish()
  return
end

vim.opt.runtimepath:prepend(root .. '/editors/nvim')
vim.cmd('filetype on')
vim.cmd('runtime plugin/jiaodui.lua')
if mode == 'native' then
  vim.lsp.config('jiaodui', { cmd = { bin, 'lsp' } })
  vim.lsp.enable('jiaodui')
else
  require('jiaodui').setup({ cmd = { bin, 'lsp' } })
end

vim.cmd.edit(vim.fn.fnameescape(fixture_path))
local fixture = vim.api.nvim_get_current_buf()
local client

check('a text buffer gets a jiaodui client', function()
  equal(vim.bo[fixture].filetype, 'text', 'filetype')
  client = client_of(fixture)
end)
if client == nil then
  finish()
  return
end

check('UTF-8 is negotiated', function()
  equal(client.offset_encoding, 'utf-8', 'client.offset_encoding')
end)

check('the root is the folder holding jiaodui.toml', function()
  equal(client.root_dir and vim.uv.fs_realpath(client.root_dir), workdir, 'root_dir')
end)

check('traditional-char on 鋒 (line 63) at its byte column', function()
  local line = line_of(fixture, 62)
  local col = byte_col(line, '鋒')
  local d = wait_diagnostic(fixture, 'traditional-char', 62)
  equal({ d.lnum, d.col, d.end_lnum, d.end_col }, { 62, col, 62, col + #'鋒' }, 'range')
  equal(d.source, 'jiaodui', 'source')
end)

check('documentSymbol lists the 15 interviewees in order', function()
  local symbols = request(client, fixture, 'textDocument/documentSymbol', {
    textDocument = vim.lsp.util.make_text_document_params(fixture),
  })
  expect(type(symbols) == 'table' and #symbols > 0, 'no symbols')
  local candidates = #symbols == 1 and (symbols[1].children or {}) or symbols
  local names = vim.tbl_map(function(o)
    return o.name
  end, expectations.outline)
  local found = {}
  for _, symbol in ipairs(candidates) do
    for _, name in ipairs(names) do
      if symbol.name:find(name, 1, true) then
        table.insert(found, name)
        break
      end
    end
  end
  equal(found, names, 'interviewees')
end)

for _, probe in ipairs(expectations.hover) do
  check(('hover on %s (line %d)'):format(probe.text, probe.line), function()
    vim.api.nvim_win_set_buf(0, fixture)
    local line = line_of(fixture, probe.line - 1)
    -- inside the word: on its second character when it has one
    local col = byte_col(line, probe.text)
    if vim.fn.strchars(probe.text) > 1 then
      col = col + #vim.fn.strcharpart(probe.text, 0, 1)
    end
    vim.api.nvim_win_set_cursor(0, { probe.line, col })
    local hover = request(client, fixture, 'textDocument/hover', vim.lsp.util.make_position_params(0, client.offset_encoding))
    expect(hover ~= nil and hover ~= vim.NIL, 'no hover')
    local contents = hover.contents
    local text = type(contents) == 'string' and contents
      or contents.value
      or table.concat(vim.tbl_map(function(c)
        return type(c) == 'string' and c or c.value
      end, contents), '\n')
    expect(vim.trim(text) ~= '', 'empty hover')
    for _, needle in ipairs(probe.must_contain or {}) do
      expect(text:find(needle, 1, true), ('hover lacks “%s”: %s'):format(needle, text))
    end
    if probe.must_contain_any then
      local any = false
      for _, needle in ipairs(probe.must_contain_any) do
        any = any or text:find(needle, 1, true) ~= nil
      end
      expect(any, ('hover lacks all of %s: %s'):format(table.concat(probe.must_contain_any, ', '), text))
    end
  end)
end

check('the quick fix through vim.lsp.buf.code_action turns 鋒 into 锋 (line 63)', function()
  local line = line_of(fixture, 62)
  local d = wait_diagnostic(fixture, 'traditional-char', 62)
  local after = apply_quick_fix(fixture, 62, d.col, '锋')
  local wanted = line:gsub('鋒', '锋')
  equal(after, wanted, 'line 63 after the fix')
end)

check('after the fix, line 63 is republished clean and line 75 still flagged', function()
  local function settled()
    local on63, on75 = false, false
    for _, d in ipairs(jiaodui_diagnostics(fixture, 'traditional-char')) do
      on63 = on63 or d.lnum == 62
      on75 = on75 or d.lnum == 74
    end
    return not on63 and on75
  end
  vim.wait(TIMEOUT, settled, 20)
  expect(settled(), 'wanted traditional-char on line 75 only; have lines ' .. vim.inspect(vim.tbl_map(function(d)
    return d.lnum + 1
  end, jiaodui_diagnostics(fixture, 'traditional-char'))))
end)

vim.cmd.edit(vim.fn.fnameescape(surrogate_path))
local surrogate = vim.api.nvim_get_current_buf()

check('after 𠮷 (4 bytes) the finding is at byte column 7', function()
  local line = line_of(surrogate, 0)
  local col = byte_col(line, '鋒')
  equal(col, 7, 'the test line itself')
  local d = wait_diagnostic(surrogate, 'traditional-char', 0)
  equal({ d.lnum, d.col, d.end_lnum, d.end_col }, { 0, col, 0, col + 3 }, 'range')
end)

check('an incremental edit before 𠮷 moves the finding 4 bytes on', function()
  vim.api.nvim_buf_set_text(surrogate, 0, 0, 0, 0, { '𠮷' })
  local d = wait_diagnostic(surrogate, 'traditional-char', 0, function(d)
    return d.col ~= 7
  end)
  equal({ d.col, d.end_col }, { 11, 14 }, 'range after the insertion')
end)

check('the quick fix on the 𠮷 line writes 锋', function()
  local after = apply_quick_fix(surrogate, 0, 11, '锋')
  equal(after, '𠮷𠮷先锋队', 'line after the fix')
end)

check('workspace/didChangeConfiguration turns a rule off', function()
  wait_diagnostic(fixture, 'traditional-char', 74)
  local settings = { rules = { ['traditional-char'] = 'off' } }
  client.settings = settings
  client:notify('workspace/didChangeConfiguration', { settings = settings })
  vim.wait(TIMEOUT, function()
    return #jiaodui_diagnostics(fixture, 'traditional-char') == 0 and #jiaodui_diagnostics(fixture) > 0
  end, 20)
  equal(#jiaodui_diagnostics(fixture, 'traditional-char'), 0, 'traditional-char findings left')
  expect(#jiaodui_diagnostics(fixture) > 0, 'every other finding vanished too')
end)

check('settings {} restore the rule, and :JiaoduiFixAll replaces every 鋒', function()
  client.settings = {}
  client:notify('workspace/didChangeConfiguration', { settings = vim.empty_dict() })
  wait_diagnostic(fixture, 'traditional-char', 74)
  vim.api.nvim_win_set_buf(0, fixture)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  local text = function()
    return table.concat(vim.api.nvim_buf_get_lines(fixture, 0, -1, true), '\n')
  end
  expect(text():find('鋒', 1, true), 'the fixture lost its 鋒 before the fix-all')
  vim.cmd('JiaoduiFixAll')
  vim.wait(TIMEOUT, function()
    return not text():find('鋒', 1, true)
  end, 20)
  expect(not text():find('鋒', 1, true), '鋒 is still in the buffer after :JiaoduiFixAll')
end)

check(':checkhealth jiaodui finds the binary and its version', function()
  vim.cmd('silent checkhealth jiaodui')
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('bwipeout!')
  expect(report:find(bin, 1, true), 'the report does not name the binary:\n' .. report)
  expect(report:find('Version: ', 1, true), 'no version line:\n' .. report)
  expect(report:find('parses', 1, true), 'the configuration was not checked:\n' .. report)
  expect(not report:find('ERROR', 1, true), 'the report has errors:\n' .. report)
end)

check(':checkhealth jiaodui reports a malformed jiaodui.toml with its position', function()
  local bad = workdir .. '/malformed'
  vim.fn.mkdir(bad, 'p')
  write(bad .. '/jiaodui.toml', '[rules\n')
  vim.cmd.cd(bad)
  vim.cmd('silent checkhealth jiaodui')
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('bwipeout!')
  vim.cmd.cd(workdir)
  expect(report:find('does not parse', 1, true), 'the malformed file was not reported:\n' .. report)
  expect(report:find('jiaodui.toml:1:', 1, true), 'no line and column in the report:\n' .. report)
end)

finish()
