-- jiaodui for Neovim 0.11+: `vim.lsp.enable('jiaodui')` picks this file up from 'runtimepath'.
-- Override any field with `vim.lsp.config('jiaodui', { ... })`.
--
-- `settings` has the shape of jiaodui.toml:
--   settings = { rules = { ['halfwidth-punctuation'] = 'off' }, locale = 'en', config = '/path/jiaodui.toml' }
-- It is sent as `initializationOptions` when `init_options` is unset, and again through
-- `workspace/didChangeConfiguration`, which Neovim sends after start-up.

---@type vim.lsp.Config
return {
  cmd = { 'jiaodui', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'jiaodui.toml', '.git' },
  settings = {},
  before_init = function(params, config)
    if params.initializationOptions == nil and next(config.settings or {}) ~= nil then
      params.initializationOptions = config.settings
    end
  end,
}
