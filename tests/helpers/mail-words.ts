import { createTranslator } from '../../server/i18n.js'
import type { MailWords } from '../../server/usecases/follows.js'
import { TEST_CONFIG } from './app.js'

/** What a use case writes mail with, for tests that call one without an app: the app's translator and address. */
export const MAIL_WORDS: MailWords = { translate: createTranslator(), publicUrl: TEST_CONFIG.publicUrl }
