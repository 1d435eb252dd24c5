--- :checkhealth jiaodui — is the server there, which version, and does the configuration parse?
local M = {}

--- The configuration in force: setup() if it was called, else vim.lsp.config (0.11), else defaults.
local function active_config()
  local plugin = require('jiaodui')
  if plugin.configured then
    return plugin.config, 'require("jiaodui").setup()'
  end
  if vim.lsp.config ~= nil then
    local ok, config = pcall(function()
      return vim.lsp.config.jiaodui
    end)
    if ok and config ~= nil and config.cmd ~= nil then
      return config, "vim.lsp.config('jiaodui')"
    end
  end
  return plugin.defaults, 'defaults'
end

--- Where to look for jiaodui.toml: the current file's folder, else the working directory.
local function start_dir()
  local name = vim.api.nvim_buf_get_name(0)
  if name ~= '' and not name:match('^%a[%w+.-]*://') and vim.fn.filereadable(name) == 1 then
    return vim.fs.dirname(vim.fn.fnamemodify(name, ':p'))
  end
  return vim.uv.cwd()
end

local function check_config(executable, settings)
  local file = settings and settings.config
  local origin = 'settings.config'
  if file == nil or file == '' then
    file = vim.fs.find('jiaodui.toml', { upward = true, path = start_dir() })[1]
    origin = 'found from ' .. start_dir()
  end
  if file == nil then
    vim.health.info('No jiaodui.toml above ' .. start_dir() .. '; the built-in defaults apply.')
    return
  end
  if vim.fn.filereadable(file) ~= 1 then
    vim.health.error(('Configuration %s (%s) cannot be read.'):format(file, origin))
    return
  end
  local result = vim.system({ executable, 'check', '--config', file, '-' }, { stdin = '', text = true }):wait(15000)
  local stderr = vim.trim(result.stderr or '')
  if result.code == 2 or stderr ~= '' then
    vim.health.error(('Configuration %s (%s) does not parse:\n%s'):format(file, origin, stderr), {
      'Fix the file at the line and column given; the built-in defaults run meanwhile.',
    })
  elseif result.code == 0 or result.code == 1 then
    vim.health.ok(('Configuration %s (%s) parses.'):format(file, origin))
  else
    vim.health.warn(('`jiaodui check --config %s -` exited with %s'):format(file, tostring(result.code)))
  end
end

function M.check()
  vim.health.start('jiaodui')
  if vim.fn.has('nvim-0.10') ~= 1 then
    vim.health.error('Neovim 0.10 or newer is required.')
    return
  end

  local config, origin = active_config()
  local cmd = config.cmd
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' then
    vim.health.warn('cmd (from ' .. origin .. ') is not a list of strings; cannot check the executable.')
    return
  end
  local executable = vim.fn.exepath(cmd[1])
  if executable == '' then
    vim.health.error(('`%s` (cmd from %s) is not an executable on PATH.'):format(cmd[1], origin), {
      'Install jiaodui (cargo install --path . in its repository), or set cmd to its full path.',
    })
    return
  end
  vim.health.ok(('Executable: %s (cmd from %s: %s)'):format(executable, origin, table.concat(cmd, ' ')))

  local version = vim.system({ executable, '--version' }, { text = true }):wait(10000)
  if version.code == 0 then
    vim.health.ok('Version: ' .. vim.trim(version.stdout or ''))
  else
    vim.health.error(('`%s --version` exited with %s: %s'):format(executable, tostring(version.code), vim.trim(version.stderr or '')))
    return
  end

  check_config(executable, config.settings)

  local clients = vim.lsp.get_clients({ name = 'jiaodui' })
  if #clients == 0 then
    vim.health.info('No jiaodui client is running (open a text or Markdown file).')
  end
  for _, client in ipairs(clients) do
    vim.health.info(('Client %d: root %s, position encoding %s'):format(
      client.id,
      client.root_dir or '(none)',
      client.offset_encoding
    ))
  end
end

return M
