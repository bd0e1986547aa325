import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, progressUpdates } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { signedIn } from '../../helpers/officials.js'
import { listPhotos, smallPng } from '../../helpers/photos.js'
import { publishedDemo } from '../../helpers/progress.js'

// A progress update on a funded project can show what was done: photos, as on proposals.
const { app, db, roundId, round, funded } = await publishedDemo(t)
const project = funded[0]!
const page = `/official/rounds/${roundId}/progress`
const update = {
  proposal: String(project.id),
  status: 'in_progress',
  text: 'De zonnepanelen liggen erop.',
  on: '2027-03-01',
  spent: '',
  kwh: '',
  co2: '',
  households: '',
}

t.test('an update with a photo shows it on the public progress page, with its description', async (t) => {
  const moderator = await signedIn(app, 'moderator')
  const form = html(await moderator.get(page))
  t.equal(form.get(`form[action="${page}"]`).getAttribute('enctype'), 'multipart/form-data')
  t.equal(form.text('#photoAlt1-hint'), msg('photos.form.altHint', { max: 200 }))
  const res = await moderator.postMultipart(
    page,
    { ...update, photoAlt1: 'Zonnepanelen op het dak van de school' },
    { photo1: { bytes: await smallPng(1200, 900), filename: 'dak.png', type: 'image/png' } },
  )
  t.equal(res.statusCode, 303)
  const [stored] = await db.select().from(progressUpdates).where(eq(progressUpdates.proposalId, project.id))
  const [photo] = await listPhotos(db)
  t.match(photo, { proposalId: project.id, progressUpdateId: stored!.id, alt: 'Zonnepanelen op het dak van de school' })
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'photo.add'))
  t.same(audit!.details, { photos: [photo!.id], progressUpdate: stored!.id })

  const publicPage = html(await new Visitor(app).get(`/rounds/${round.slug}/progress`))
  const img = publicPage.get(`#project-${project.id} ul.photos img`)
  t.equal(img.getAttribute('alt'), 'Zonnepanelen op het dak van de school')
  t.equal(img.getAttribute('width'), '1200')
  const source = publicPage.get(`#project-${project.id} ul.photos source`).getAttribute('srcset')!
  const served = await new Visitor(app).get(source.split(' ')[0]!)
  t.equal(served.statusCode, 200, 'a published round: the photo is public')
  t.equal(served.headers['content-type'], 'image/webp')
})

t.test('an update whose photo is refused keeps what was typed and stores nothing', async (t) => {
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(page)
  const [updatesBefore, photosBefore] = [
    (await db.select().from(progressUpdates)).length,
    (await listPhotos(db)).length,
  ]
  const res = await moderator.postMultipart(
    page,
    { ...update, photoAlt1: 'Het dak' },
    { photo1: { bytes: Buffer.from('GIF89a not really'), filename: 'dak.gif', type: 'image/gif' } },
  )
  t.equal(res.statusCode, 422)
  const doc = html(res)
  t.equal(doc.text('#photo1-error'), msg('photos.error.notAnImage'))
  t.equal(doc.get('#text').textContent, update.text)
  t.equal(doc.get('#photoAlt1').getAttribute('value'), 'Het dak')
  t.equal((await db.select().from(progressUpdates)).length, updatesBefore)
  t.equal((await listPhotos(db)).length, photosBefore)
})
