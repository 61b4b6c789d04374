/**
 * The transport's own limit: a bare socket.io server that speaks just enough of the candidate
 * protocol for the load workers (login, snapshot, start, answer) and acknowledges each answer
 * at once with an ack of the same shape and size as Kaca's, storing and scoring nothing.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { generatedBank } from './seed.js';

const bank = generatedBank(10_000);
// a paper of the same size as a dealt SKD paper
const items = bank.filter((_, i) => i % 91 === 0).slice(0, 110).map((q, n) => ({ n, section: q.section, stem: q.stem, options: q.options }));
let nextId = 1;
const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/candidate/login') {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ session: `echo.${nextId}`, candidateId: nextId++, sittingId: 'echo' }));
    });
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(http, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
io.of('/candidate').on('connection', (socket) => {
  const state = { attempt: { state: 'admitted', remainingMs: 6_000_000, serverTime: Date.now() }, items: null, answers: [], flags: [], lastSeq: 0 };
  socket.emit('state:snapshot', state);
  socket.on('exam:start', (_p: unknown, ack: (r: unknown) => void) => ack({ ok: true, data: { ...state, items, lastSeq: 0 } }));
  socket.on('answer:submit', (p: { seq: number; item: number; choice: number | null }, ack: (r: unknown) => void) =>
    ack({ ok: true, data: { seq: p.seq, item: p.item, choice: p.choice, flagged: false, applied: true, savedAt: Date.now() } }),
  );
});
http.listen(0, '127.0.0.1', () => {
  const a = http.address();
  process.stdout.write(`Exam (candidates):   http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/ \n`);
});
// a clean exit, so a --cpu-prof run writes its profile
process.once('SIGTERM', () => process.exit(0));
