import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy in front of the PostgreSQL server, as a network path that can go away: `cut()` ends
 * every connection through it and refuses new ones (as a restarting server does), `restore()`
 * lets them through again on the same port.
 */
export class DatabaseProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  /** The URL of the same database, reached through the proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl)
    url.hostname = '127.0.0.1'
    url.port = String(this.port)
    return url.toString()
  }

  async restore(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    this.server = server
    for (;;) {
      // Below the ephemeral range: while the proxy is down, a connect to a port in that range can be
      // given that same port as its own and connect to itself, which hangs instead of being refused.
      const port = this.port || 20_000 + Math.floor(Math.random() * 12_000)
      const listening = await new Promise<boolean>((resolve) => {
        const refused = () => resolve(false)
        server.once('error', refused)
        server.listen(port, '127.0.0.1', () => {
          server.off('error', refused)
          resolve(true)
        })
      })
      if (listening) {
        this.port = port
        return
      }
      if (this.port) throw new Error(`the proxy cannot listen on ${port} again`)
    }
  }

  async cut(): Promise<void> {
    const server = this.server
    this.server = undefined
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    for (const socket of this.sockets) socket.destroy()
    await closed
  }
}

/** A proxy, listening, to the server DATABASE_URL names. */
export async function databaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl)
  const proxy = new DatabaseProxy(target.hostname, Number(target.port || 5432))
  await proxy.restore()
  return proxy
}
