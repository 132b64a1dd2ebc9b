import { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE } from 'src/common/problem/problem.filter';
import { httpTitle } from 'src/common/problem/problem-mapping';

/** Methods a request line may start with; the one in view decides whether the answer has a body. */
const REQUEST_LINE = /^([A-Z]{1,20}) /;

/**
 * Answers requests that Node's HTTP parser refuses before Fastify sees them (headers or URL too
 * large, control characters) with a problem, written on the socket as Node leaves it to us, with
 * `headers` (the security headers) added. An answer to HEAD carries the headers without the
 * body (RFC 9110 9.3.2): a client that sent HEAD reads body bytes as the start of the next
 * answer and fails to parse it.
 */
export function clientErrorAnswer(headers: Readonly<Record<string, string>>): (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket) => void {
  const headerLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (error, socket) => answer(error, socket, headerLines);
}

function answer(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket, headerLines: string): void {
  if (!socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({
    type: 'about:blank',
    title: httpTitle(status),
    status,
    detail: status === 431 ? 'The request headers (or URL) are too large' : 'The request is not valid HTTP',
  });
  const method = requestMethod(error.rawPacket);
  // Node hands over the bytes it was parsing when it gave up: with a long request line sent in
  // pieces they may not start with the method. Without a body the answer parses in every case.
  const sendsBody = method !== undefined && method !== 'HEAD';
  const length = method === undefined ? 0 : Buffer.byteLength(body);
  socket.end(
    `HTTP/1.1 ${status} ${httpTitle(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${length}\r\n${headerLines}Connection: close\r\n\r\n${sendsBody ? body : ''}`,
  );
}

function requestMethod(packet: unknown): string | undefined {
  return Buffer.isBuffer(packet) ? REQUEST_LINE.exec(packet.subarray(0, 24).toString('latin1'))?.[1] : undefined;
}
