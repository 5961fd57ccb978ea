// Loads the WASM bundle. A separate file (not an inline script) because the Content-Security-Policy
// allows scripts from 'self' only.
import init from '/frontend.js';
init({ module_or_path: '/frontend_bg.wasm' });
