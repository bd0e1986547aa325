import type { FastifyInstance } from 'fastify'
import { stringify } from 'csv-stringify/sync'
import { auditEntriesForExport } from '../../data/accounts.js'

/** A cell that a spreadsheet would run as a formula is prefixed with a quote, so it shows as text. */
export function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** The audit log as CSV for the security officer. */
export default async function auditExportRoutes(app: FastifyInstance) {
  app.get('/audit.csv', { config: { action: 'audit.export' } }, async (request, reply) => {
    const entries = await auditEntriesForExport(app.db)
    const rows = entries.map((e) => [String(e.id), e.at.toISOString(), e.actor, e.action, e.object, JSON.stringify(e.details), e.hash].map(defuse))
    const csv = stringify(rows, { header: true, columns: ['id', 'at_utc', 'actor', 'action', 'object', 'details', 'hash'] })
    const day = new Date().toISOString().slice(0, 10)
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="wijkbudget-audit-${day}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(`\uFEFF${csv}`)
  })
}
