-- Neovim end-to-end check of `composefix lsp`, written for the vim.lsp API of Neovim 0.7
-- (Debian bookworm's nvim): vim.lsp.start_client + vim.lsp.buf_attach_client.
-- Inputs come from the environment, set by LspNeovimTests:
--   COMPOSEFIX_CMD     the server command line, as a JSON array
--   COMPOSEFIX_FILE    the compose file to open, fix and write
--   COMPOSEFIX_MODE    "codeAction" (request source.fixAll and apply it) or "command" (execute composefix.fixAll)
--   COMPOSEFIX_STATUS  a file that receives "ok" or what went wrong
local cmd = vim.fn.json_decode(os.getenv('COMPOSEFIX_CMD'))
local file = os.getenv('COMPOSEFIX_FILE')
local mode = os.getenv('COMPOSEFIX_MODE')
local status_path = os.getenv('COMPOSEFIX_STATUS')

local function finish(message)
  local f = io.open(status_path, 'w')
  f:write(message)
  f:close()
  vim.cmd('qall!')
end

local function run()
  -- Keep the file's own final-newline state: the test compares bytes.
  vim.o.fixendofline = false
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'composefix',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
  })
  if not client_id then
    return finish('could not start the server')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    return finish('no diagnostics within 30 s')
  end
  local client = vim.lsp.get_client_by_id(client_id)

  if mode == 'command' then
    -- The server answers after nvim's workspace/applyEdit handler has applied the edit.
    local reply = client.request_sync('workspace/executeCommand', {
      command = 'composefix.fixAll',
      arguments = { vim.uri_from_bufnr(bufnr) },
    }, 30000, bufnr)
    if not reply or reply.err then
      return finish('executeCommand failed: ' .. vim.inspect(reply))
    end
  else
    local reply = client.request_sync('textDocument/codeAction', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
      context = { diagnostics = {}, only = { 'source.fixAll' } },
    }, 30000, bufnr)
    if not reply or reply.err then
      return finish('codeAction failed: ' .. vim.inspect(reply))
    end
    local actions = reply.result or {}
    if #actions ~= 1 or actions[1].kind ~= 'source.fixAll.composefix' then
      return finish('expected one source.fixAll.composefix action, got ' .. vim.inspect(actions))
    end
    vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding)
  end

  vim.cmd('write')
  client.stop()
  finish('ok')
end

local ok, err = pcall(run)
if not ok then
  finish('error: ' .. tostring(err))
end
