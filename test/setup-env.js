// n8n-core keeps instance settings in N8N_USER_FOLDER (default ~/.n8n); keep tests out of the
// user's real folder.
const fs = require('fs');
const os = require('os');
const path = require('path');

const folder = path.join(os.tmpdir(), 'n8n-task-dispatch-jest');
fs.mkdirSync(folder, { recursive: true });
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
