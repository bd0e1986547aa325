import type { FastifyInstance } from 'fastify'
import { toCsv } from '../../csv.js'
import { auditEntriesForExport } from '../../data/accounts.js'

/** The audit log as CSV for the security officer. */
export default async function auditExportRoutes(app: FastifyInstance) {
  app.get('/audit.csv', { config: { action: 'audit.export' } }, async (request, reply) => {
    const entries = await auditEntriesForExport(app.db)
    const rows = entries.map((e) => [
      e.id,
      e.at.toISOString(),
      e.actor,
      e.action,
      e.object,
      JSON.stringify(e.details),
      e.hash,
    ])
    const csv = toCsv(['id', 'at_utc', 'actor', 'action', 'object', 'details', 'hash'], rows, { bom: true })
    const day = new Date().toISOString().slice(0, 10)
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="wijkbudget-audit-${day}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(csv)
  })
}
