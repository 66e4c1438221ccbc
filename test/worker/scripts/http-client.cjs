// Test HTTP client run inside a pod namespace: `node http-client.cjs HOST PORT`. Opens a keep-alive
// connection and makes one request on it ("before"), then waits for a line on stdin; then makes
// three more requests on that same connection, three on new connections and one POST, printing one
// JSON line per request ({path, status, local}) and finally "done". New connections are pooled for a
// moment after their response (as pooling clients do) before they close.
const http = require('node:http');
const [host, port] = [process.argv[2], Number(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(path, { keepAlive, method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {};
    const pool = keepAlive ? agent : new http.Agent({ keepAlive: true });
    if (!keepAlive) setTimeout(() => pool.destroy(), 300);
    const req = http.request({ host, port, path, method, agent: pool, headers }, (res) => {
      const local = res.socket.localPort;
      res.resume();
      res.on('end', () => resolve({ path, status: res.statusCode, local }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

(async () => {
  console.log(JSON.stringify({ phase: 'before', ...(await request('/before/1', { keepAlive: true })) }));
  process.stdin.once('data', async () => {
    for (let i = 0; i < 3; i++) console.log(JSON.stringify(await request(`/old-conn/${i}`, { keepAlive: true })));
    for (let i = 0; i < 3; i++) console.log(JSON.stringify(await request(`/new-conn/${i}?q=${i}`, { keepAlive: false })));
    console.log(JSON.stringify(await request('/post', { keepAlive: false, method: 'POST', body: JSON.stringify({ hello: 'world' }) })));
    console.log('done');
  });
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
