import t from 'tap'
import { and, eq, sql } from 'drizzle-orm'
import { auditLog, photos, proposals, rounds } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { createOfficials, signedIn } from '../../helpers/officials.js'
import { jpegWithGps, listPhotos, listVariants, smallPng } from '../../helpers/photos.js'
import { proposingRound } from '../../helpers/proposals.js'

// Coaches and moderators add a resident's photos to a proposal, or take one down with a public reason.
const { app, db, round, inPhase, submitted } = await proposingRound(t)
await createOfficials(db, ['moderator', 'coach', 'council'])
const png = { bytes: await smallPng(), filename: 'p.png', type: 'image/png' }

async function approve(id: number) {
  await db.update(proposals).set({ status: 'approved' }).where(eq(proposals.id, id))
  await db
    .update(rounds)
    .set({ contentVersion: sql`${rounds.contentVersion} + 1` })
    .where(eq(rounds.id, round!.id))
}

const photosOf = async (proposalId: number) => (await listPhotos(db)).filter((p) => p.proposalId === proposalId)
const auditOf = (action: string, proposalId: number) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.object, `proposal:${proposalId}`)))

t.test('a coach adds a described photo; it is audited, previewed for officials and public once approved', async (t) => {
  const { row } = await submitted()
  const page = `/official/proposals/${row.id}/photos`
  const coach = await signedIn(app, 'coach')
  const form = html(await coach.get(page))
  t.equal(form.get(`form[action="${page}"]`).getAttribute('enctype'), 'multipart/form-data')
  t.equal(form.all('input[type=file]').length, 3)
  const res = await coach.postMultipart(page, { photoAlt1: 'De voorgevel' }, { photo1: { bytes: await jpegWithGps() } })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${page}?saved=added`)
  const [photo] = await photosOf(row.id)
  t.match(photo, { alt: 'De voorgevel', width: 1600, removedAt: null })
  const [audit] = await auditOf('photo.add', row.id)
  t.same(audit!.details, { photos: [photo!.id] })
  t.equal(audit!.actor, 'coach@example.test')

  const shown = html(await coach.get(`${page}?saved=added`))
  t.equal(shown.text('[role=status]'), msg('photos.moderation.saved.added'))
  const preview = shown.get('ul.photos img').getAttribute('src')!
  t.match(preview, new RegExp(`^${page}/${photo!.id}/${photo!.hash}/960\\.jpeg$`))
  const previewed = await coach.get(preview)
  t.equal(previewed.statusCode, 200)
  t.equal(previewed.headers['cache-control'], 'no-store', 'an official preview is never kept')
  t.equal((await new Visitor(app).get(preview)).statusCode, 303, 'a resident is sent to log in')

  const publicUrl = `/photos/${photo!.id}/${photo!.hash}/480.webp`
  t.equal((await new Visitor(app).get(publicUrl)).statusCode, 404, 'submitted: not public yet')
  const moderation = html(await (await signedIn(app, 'moderator')).get(`/official/proposals/${row.id}`))
  t.ok(moderation.has('ul.photos img'), 'the moderator sees it while deciding')
  await approve(row.id)
  t.equal((await new Visitor(app).get(publicUrl)).statusCode, 200)
})

t.test(
  'a moderator removes a photo with a public reason: audited, its bytes gone, the reason on the proposal page',
  async (t) => {
    const { row } = await submitted()
    const page = `/official/proposals/${row.id}/photos`
    const moderator = await signedIn(app, 'moderator')
    await moderator.get(page)
    await moderator.postMultipart(page, { photoAlt1: 'Het dak', photoAlt2: 'De tuin' }, { photo1: png, photo2: png })
    await approve(row.id)
    const [first, second] = await photosOf(row.id)
    const remove = `${page}/${first!.id}/remove`

    await moderator.get(page)
    const empty = await moderator.post(remove, { reason: '   ' })
    t.equal(empty.statusCode, 422)
    t.equal(html(empty).text(`#reason-${first!.id}-error`), msg('photos.moderation.reasonRequired'))
    t.equal((await photosOf(row.id)).filter((p) => p.removedAt === null).length, 2, 'nothing removed')

    const reason = 'Er staat een kenteken op de foto.'
    const res = await moderator.post(remove, { reason })
    t.equal(res.statusCode, 303)
    const [removed] = await photosOf(row.id)
    t.ok(removed!.removedAt)
    t.equal(removed!.removedReason, reason)
    t.same(
      (await listVariants(db)).filter((v) => v.photoId === first!.id),
      [],
      'its bytes are deleted',
    )
    const [audit] = await auditOf('photo.remove', row.id)
    t.same(audit!.details, { photo: first!.id, reason })
    t.equal((await new Visitor(app).get(`/photos/${first!.id}/${first!.hash}/480.webp`)).statusCode, 404)

    const publicPage = html(await new Visitor(app).get(`/proposals/${row.reference}`))
    t.equal(publicPage.text('.photo-removed'), `${msg('photos.removedPublic')} ${reason}`)
    t.same(
      publicPage.all('ul.photos img').map((img) => img.getAttribute('alt')),
      [second!.alt],
      'the other photo stays',
    )
    t.equal((await moderator.post(remove, { reason })).statusCode, 404, 'removed once')
  },
)

t.test('a proposal holds at most three photos: a full one offers no slot and refuses more', async (t) => {
  const { row } = await submitted()
  const page = `/official/proposals/${row.id}/photos`
  const coach = await signedIn(app, 'coach')
  await coach.get(page)
  await coach.postMultipart(page, { photoAlt1: 'een', photoAlt2: 'twee' }, { photo1: png, photo2: png })
  const one = html(await coach.get(page))
  t.equal(one.all('input[type=file]').length, 1, 'room for one more')
  const two = await coach.postMultipart(page, { photoAlt1: 'drie', photoAlt2: 'vier' }, { photo1: png, photo2: png })
  t.equal(two.statusCode, 422)
  t.equal(html(two).text('#photo1-error'), msg('photos.error.tooMany'))
  t.equal((await photosOf(row.id)).length, 2)
  await coach.postMultipart(page, { photoAlt1: 'drie' }, { photo1: png })
  const full = html(await coach.get(page))
  t.equal(full.all('input[type=file]').length, 0)
  t.match(full.text('main'), msg('photos.moderation.full'))
  const more = await coach.postMultipart(page, { photoAlt1: 'vier' }, { photo1: png })
  t.equal(more.statusCode, 422)
  t.equal((await photosOf(row.id)).length, 3)
})

t.test('the council only reads; nobody adds without a form token; a draft round takes no photos', async (t) => {
  const { row } = await submitted()
  const page = `/official/proposals/${row.id}/photos`
  const council = await signedIn(app, 'council')
  const read = html(await council.get(page))
  t.notOk(read.has('input[type=file]'), 'no form for the council')
  t.equal((await council.postMultipart(page, { photoAlt1: 'x' }, { photo1: png })).statusCode, 403)
  const coach = await signedIn(app, 'coach')
  await coach.get(page)
  t.equal((await coach.postMultipart(page, { photoAlt1: 'x', _csrf: null }, { photo1: png })).statusCode, 403)
  t.equal((await new Visitor(app).postMultipart(page, { photoAlt1: 'x' }, { photo1: png })).statusCode, 403)
  await db.update(rounds).set({ phase: 'draft' }).where(eq(rounds.id, round!.id))
  await coach.get(page)
  const draft = await coach.postMultipart(page, { photoAlt1: 'x' }, { photo1: png })
  t.ok(draft.statusCode >= 400, `refused: ${draft.statusCode}`)
  await inPhase('proposing')
  t.equal((await db.select().from(photos).where(eq(photos.proposalId, row.id))).length, 0)
})
