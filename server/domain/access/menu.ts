import { canAtAll, official, type Action, type Role } from './permissions.js'

export interface MenuEntry {
  href: string
  /** Translation key of the entry's name. */
  key: string
}

/** Each place in the officials' menu and the permission that makes it useful: nobody is shown a door they may not use. */
const ENTRIES: readonly (MenuEntry & { action: Action })[] = [
  { href: '/official/moderation', key: 'layout.moderation', action: 'proposal.moderate' },
  { href: '/official/translations', key: 'layout.translations', action: 'proposal.translate' },
  { href: '/official/accounts', key: 'layout.accounts', action: 'officials.manage' },
  { href: '/official/account', key: 'layout.account', action: 'account.own' },
]

/** The home of each role is named for what that role does there: a council member checks, and does not manage. */
export function homeKey(role: Role): string {
  return `layout.home.${role}`
}

/** The officials' menu for `role`: their home first, then what the permission table lets them use. */
export function officialMenu(role: Role): MenuEntry[] {
  const actor = official(role)
  return [
    { href: '/official', key: homeKey(role) },
    ...ENTRIES.filter((entry) => canAtAll(actor, entry.action)).map(({ href, key }) => ({ href, key })),
  ]
}
