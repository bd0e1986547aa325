/**
 * Unicode isolates for plain text (mails, the letter), where HTML's <bdi> and dir are not available.
 * A value placed inside a sentence keeps its own direction and cannot pull the punctuation around it
 * along: a Latin title in an Arabic sentence, or an Arabic title in a Dutch one, stays in place
 * between its quotes, and a code like 23456-ABCDE is never shown as ABCDE-23456.
 */

/** User text (a title, a name): direction from its own first strong letter (FSI … PDI). */
export const isolate = (text: string): string => `\u2068${text}\u2069`

/** Codes, references, addresses and phone numbers: always left to right (LRI … PDI). */
export const isolateLtr = (text: string): string => `\u2066${text}\u2069`
