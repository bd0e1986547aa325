import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findVariant, listProposalPhotos } from '../../data/photos.js'
import { parseVariantName, photosArePublic, REASON_MAX, roomFor } from '../../domain/photos/rules.js'
import { allowed, theOfficial, theProposal, theRound } from '../../plugins/auth.js'
import { FORM_TYPE } from '../../plugins/input.js'
import { addProposalPhotos, removeProposalPhoto } from '../../usecases/photos.js'
import { FormInput, readForm } from '../forms.js'
import { encodePhotos, photoErrors, photoSlotsView, photoSummary, readPhotos, type PhotosRead } from '../photo-form.js'
import { sendPhoto } from '../photo-reply.js'
import { parseId } from '../schemas.js'
import { proposalPhotosView } from '../shared/photo-view.js'
import { IdPath, OfficialPhotoPath, PhotoRemovePath, PhotosQuery, RemovePhotoForm } from './schemas.js'

type Shown = { added?: PhotosRead; removal?: { photo: number; reason: string; error: string } }

/**
 * A proposal's photos for coaches and moderators: every photo, also before the public may see it;
 * add photos a resident brought to the community centre, or take one down with a public reason.
 */
export default async function officialPhotoRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  async function render(request: FastifyRequest, reply: FastifyReply, shown: Shown = {}, saved?: string) {
    const proposal = theProposal(request)
    const base = `/official/proposals/${proposal.id}/photos`
    const photos = await listProposalPhotos(app.db, proposal.id)
    const view = proposalPhotosView(photos, true, base)
    const room = roomFor(view.shown.length)
    const slots = photoSlotsView(shown.added, room, shown.added !== undefined)
    const photoLinks = photoSummary(slots)
    const summary = shown.removal
      ? [{ href: `reason-${shown.removal.photo}`, label: 'photos.moderation.reason', message: shown.removal.error }]
      : []
    const title = app.translate(request.lang, 'photos.moderation.title', { title: proposal.title })
    return reply.render('pages/official/proposal-photos.hbs', {
      title: summary.length + photoLinks.length > 0 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
      summary,
      photoErrors: photoLinks,
      hasErrors: summary.length + photoLinks.length > 0,
      savedKey: saved && `photos.moderation.saved.${saved}`,
      proposal,
      base,
      isPublic: photosArePublic(proposal),
      canManage: allowed(request, 'photo.manage'),
      photos: view.shown.map((p) => ({
        ...p,
        reason: shown.removal?.photo === p.id ? shown.removal.reason : '',
        error: shown.removal?.photo === p.id ? shown.removal.error : undefined,
      })),
      removed: view.removed,
      slots,
      reasonMax: REASON_MAX,
    })
  }

  app.get(
    '/proposals/:id/photos',
    { schema: { params: IdPath, querystring: PhotosQuery }, config: { action: 'moderation.view' } },
    async (request, reply) => {
      const saved = ['added', 'removed'].includes(request.query.saved ?? '') ? request.query.saved : undefined
      return render(request, reply, {}, saved)
    },
  )

  app.get(
    '/proposals/:id/photos/:photo/:hash/:variant',
    { schema: { params: OfficialPhotoPath }, config: { action: 'moderation.view' } },
    async (request, reply) => {
      const id = parseId(request.params.photo)
      const variant = parseVariantName(request.params.variant)
      const found =
        id !== null && variant
          ? await findVariant(app.db, id, request.params.hash, variant.width, variant.format)
          : undefined
      if (!found || !variant || found.proposalId !== theProposal(request).id) return reply.callNotFound()
      return sendPhoto(request, reply, found, variant.format, true)
    },
  )

  app.post(
    '/proposals/:id/photos',
    {
      schema: { params: IdPath, body: FormInput },
      config: { action: 'photo.manage', bodyTypes: [FORM_TYPE, 'multipart/form-data'] },
    },
    async (request, reply) => {
      const proposal = theProposal(request)
      const present = (await listProposalPhotos(app.db, proposal.id)).filter((p) => p.removedAt === null).length
      const read = await readPhotos(request, roomFor(present))
      // Sent without a photo: the first slot asks for one (a full proposal offers no slot, and says so).
      const first = read.slots[0]
      if (first && !photoErrors(read) && !read.slots.some((s) => s.bytes)) first.error = 'noPhoto'
      if (photoErrors(read) || !first) return render(request, reply.code(422), { added: read })
      const encoded = await encodePhotos(read)
      if (!encoded) return render(request, reply.code(422), { added: read })
      const target = { roundId: theRound(request).id, proposalId: proposal.id }
      if ((await addProposalPhotos(app.db, target, encoded, theOfficial(request))) === 'tooMany')
        return render(request, reply.code(422), { added: { ...read, tooMany: true } })
      return reply.redirect(`/official/proposals/${proposal.id}/photos?saved=added`, 303)
    },
  )

  app.post(
    '/proposals/:id/photos/:photo/remove',
    { schema: { params: PhotoRemovePath, body: FormInput }, config: { action: 'photo.manage' } },
    async (request, reply) => {
      const proposal = theProposal(request)
      const photoId = parseId(request.params.photo)
      const form = readForm(RemovePhotoForm, request.body)
      const reason = form.typed.reason.trim()
      if (photoId === null) return reply.callNotFound()
      if (reason === '' || [...reason].length > REASON_MAX) {
        const error = reason === '' ? 'photos.moderation.reasonRequired' : 'form.tooLong'
        return render(request, reply.code(422), { removal: { photo: photoId, reason: form.typed.reason, error } })
      }
      const target = { roundId: theRound(request).id, proposalId: proposal.id, photoId }
      if (!(await removeProposalPhoto(app.db, target, reason, theOfficial(request)))) return reply.callNotFound()
      return reply.redirect(`/official/proposals/${proposal.id}/photos?saved=removed`, 303)
    },
  )
}
