// n8n loads the node and the credential from the paths in package.json's "n8n" section;
// this entry point exists for tools that expect a "main" and deliberately exports nothing.
module.exports = {};
