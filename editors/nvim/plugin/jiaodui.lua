-- :JiaoduiFixAll applies every safe fix jiaodui offers for the current buffer.
if vim.g.loaded_jiaodui then
  return
end
vim.g.loaded_jiaodui = true

vim.api.nvim_create_user_command('JiaoduiFixAll', function()
  require('jiaodui').fix_all(0)
end, { desc = 'jiaodui: apply every safe fix in this buffer' })
