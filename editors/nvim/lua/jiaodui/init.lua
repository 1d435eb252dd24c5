--- jiaodui for Neovim 0.10 (also works on 0.11, where `vim.lsp.enable('jiaodui')` is simpler).
---
---   require('jiaodui').setup({
---     cmd = { 'jiaodui', 'lsp' },            -- or { '/path/to/jiaodui', 'lsp' }
---     settings = { rules = { ['traditional-char'] = 'error' }, locale = 'en' },
---   })
---
--- Starts the server with `vim.lsp.start` for every buffer whose filetype is text or markdown,
--- rooted at the nearest folder holding jiaodui.toml or .git (else the file's own folder).
local M = {}

M.defaults = {
  cmd = { 'jiaodui', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'jiaodui.toml', '.git' },
  --- The jiaodui.toml shape: { rules = { [id] = 'off'|'hint'|'info'|'warning'|'error' }, locale = 'en', config = PATH }
  settings = {},
  --- Sent as initializationOptions; defaults to `settings`.
  init_options = nil,
  on_attach = nil,
  capabilities = nil,
}

M.config = vim.deepcopy(M.defaults)

--- Lists replace the defaults rather than merging into them index by index.
local LIST_OPTIONS = { 'cmd', 'filetypes', 'root_markers' }

local function root_dir(bufnr)
  local root = vim.fs.root(bufnr, M.config.root_markers)
  if root ~= nil then
    return root
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name ~= '' then
    return vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(name, ':p')))
  end
  return vim.uv.cwd()
end

--- Starts (or reuses) the jiaodui client for a buffer. Returns the client id.
---@param bufnr integer?
---@return integer?
function M.start(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local config = M.config
  local init_options = config.init_options
  if init_options == nil and next(config.settings or {}) ~= nil then
    init_options = config.settings
  end
  return vim.lsp.start({
    name = 'jiaodui',
    cmd = config.cmd,
    root_dir = root_dir(bufnr),
    settings = config.settings,
    init_options = init_options,
    on_attach = config.on_attach,
    capabilities = config.capabilities,
  }, { bufnr = bufnr })
end

--- Applies the server's `source.fixAll.jiaodui` action to a buffer.
---@param bufnr integer?
function M.fix_all(bufnr)
  if bufnr ~= nil and bufnr ~= 0 and bufnr ~= vim.api.nvim_get_current_buf() then
    vim.api.nvim_set_current_buf(bufnr)
  end
  vim.lsp.buf.code_action({
    context = { only = { 'source.fixAll.jiaodui' }, diagnostics = {} },
    apply = true,
  })
end

---@param opts table?
function M.setup(opts)
  opts = opts or {}
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  M.configured = true
  for _, key in ipairs(LIST_OPTIONS) do
    if opts[key] ~= nil then
      M.config[key] = opts[key]
    end
  end

  local group = vim.api.nvim_create_augroup('jiaodui', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

return M
