// Test HTTP server run inside a pod namespace: `node http-server.cjs HOST PORT`. Answers every request
// with a small JSON body naming the method and path; prints "listening" once bound.
const http = require('node:http');
const [host, port] = [process.argv[2], Number(process.argv[3])];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const text = JSON.stringify({ method: req.method, path: req.url, received: body.length });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(port, host, () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));
