// Drives the official Socket.IO client for the mock's live-chat tests, one JSON command per
// stdin line, one JSON report per stdout line, so the Rust tests hold the mock to the real
// protocol as the vendor's quick start uses it (websocket transport, auth: {apiKey}).
//
// Commands: {op: "connect", id, url, auth?, headers?} | {op: "emit", id, seq, event, payload,
// timeoutMs?} | {op: "emitRaw", id, seq, event, args} | {op: "close", id}.
// Reports: {id, type: "connect"} | {id, type: "connect_error", message, data} |
// {id, type: "ack", seq, ack} | {id, type: "ack_timeout", seq} |
// {id, type: "event", event, payload} | {id, type: "disconnect", reason}.
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const sockets = new Map();
const report = (value) => process.stdout.write(JSON.stringify(value) + "\n");

function connect({ id, url, auth, headers }) {
  const options = { transports: ["websocket"], reconnection: false, forceNew: true };
  if (auth !== undefined && auth !== null) options.auth = auth;
  if (headers) options.extraHeaders = headers;
  const socket = io(url, options);
  sockets.set(id, socket);
  socket.on("connect", () => report({ id, type: "connect" }));
  socket.on("connect_error", (err) => report({ id, type: "connect_error", message: err.message, data: err.data ?? null }));
  socket.on("disconnect", (reason) => report({ id, type: "disconnect", reason }));
  socket.onAny((event, payload) => report({ id, type: "event", event, payload }));
}

async function emit({ id, seq, event, payload, timeoutMs }) {
  const socket = sockets.get(id);
  try {
    const ack = await socket.timeout(timeoutMs ?? 5000).emitWithAck(event, payload);
    report({ id, type: "ack", seq, ack });
  } catch {
    report({ id, type: "ack_timeout", seq });
  }
}

async function emitRaw({ id, seq, event, args }) {
  const socket = sockets.get(id);
  try {
    const ack = await socket.timeout(5000).emitWithAck(event, ...args);
    report({ id, type: "ack", seq, ack });
  } catch {
    report({ id, type: "ack_timeout", seq });
  }
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = JSON.parse(line);
  switch (command.op) {
    case "connect": connect(command); break;
    case "emit": emit(command); break;
    case "emitRaw": emitRaw(command); break;
    case "close": sockets.get(command.id)?.close(); break;
    default: report({ type: "driver_error", message: `unknown op ${command.op}` });
  }
});
lines.on("close", () => {
  for (const socket of sockets.values()) socket.close();
  process.exit(0);
});
