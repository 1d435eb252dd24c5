#!/usr/bin/env bash
# Runs the headless Neovim test (editors/nvim/test/spec.lua) twice: through lsp/jiaodui.lua with
# vim.lsp.config/enable, and through require('jiaodui').setup(). Needs Neovim 0.11.
#
#   NVIM=/path/to/nvim JIAODUI_BIN=target/debug/jiaodui editors/nvim/test/run.sh
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 2

nvim_bin=nvim
# Inside a Neovim terminal $NVIM is the parent's socket, not a program: use it only if it runs.
if [[ -n "${NVIM:-}" && -x "${NVIM}" && ! -S "${NVIM}" ]]; then
  nvim_bin=$NVIM
fi
export JIAODUI_BIN=${JIAODUI_BIN:-target/debug/jiaodui}

total_passed=0
total_failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for mode in native setup; do
  JIAODUI_NVIM_MODE=$mode timeout 120 "$nvim_bin" --headless -n -i NONE -u NONE \
    -c "luafile editors/nvim/test/spec.lua" >"$log" 2>&1 </dev/null
  status=$?
  cat "$log"
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [[ -z "$summary" ]]; then
    echo "FAIL  [$mode] nvim exited with status $status before printing its summary"
    total_failed=$((total_failed + 1))
    continue
  fi
  read -r passed _ failed _ <<<"$summary"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    echo "FAIL  [$mode] nvim exited with status $status"
    total_failed=$((total_failed + 1))
  fi
done
echo "nvim: $total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
