import type { FastifyReply, FastifyRequest } from 'fastify'
import { RETRY_AFTER_SECONDS } from '../../db/unavailable.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A form whose fields the "database away" page sends again when the resident is ready (a ballot):
     * nothing the resident chose is lost when it could not be stored.
     */
    keepOnUnavailable?: true
  }
}

/** Larger forms than this are not kept: a ballot is a few hundred bytes. */
const MAX_KEPT_BYTES = 16 * 1024

interface Field {
  name: string
  value: string
}

function fieldsOf(body: unknown): Field[] {
  if (body === null || typeof body !== 'object') return []
  return Object.entries(body).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => ({ name, value: v })),
  )
}

/** The form as posted: parsed when the failure came after the body was read, else read here (bounded). */
async function postedFields(request: FastifyRequest): Promise<Field[]> {
  if (request.body !== undefined) return fieldsOf(request.body)
  if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return []
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length
    if (size > MAX_KEPT_BYTES) return []
    chunks.push(chunk as Buffer)
  }
  return [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))].map(([name, value]) => ({ name, value }))
}

/**
 * The answer while the database cannot be reached: 503 with Retry-After, a page in the visitor's
 * language, and for a kept form (a ballot) its fields again, to be sent once the database is back.
 */
export async function renderUnavailable(request: FastifyRequest, reply: FastifyReply) {
  const keep = request.method === 'POST' && request.routeOptions.config?.keepOnUnavailable === true
  const kept = keep ? await postedFields(request).catch(() => []) : []
  reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS))
  return reply.render('errors/unavailable.hbs', {
    title: reply.server.translate(request.lang, 'errors.unavailable'),
    kept: kept.length > 0 ? { action: request.url, fields: kept } : null,
  })
}
