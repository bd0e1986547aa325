import t from 'tap'
import { Type } from '@sinclair/typebox'
import { readForm, readQuery } from '../../server/routes/forms.js'
import { form, oneOf, ticks } from '../../server/routes/schemas.js'

t.test(
  'a form is read into its typed value, or into one message key per wrong field, with what was typed',
  async (t) => {
    const Form = form({
      email: Type.String({ minLength: 1, maxLength: 10 }),
      password: Type.String({ minLength: 1 }),
      count: Type.Optional(Type.Integer({ maximum: 9 })),
      languages: ticks(2, 3),
      themes: Type.Optional(Type.Array(Type.String())),
      choice: Type.Optional(oneOf(['a', 'b'] as const)),
    })
    t.same(readForm(Form, { email: 'a@b.nl', password: 'x', count: '3', themes: 'one', extra: 'dropped' }), {
      ok: true,
      value: { email: 'a@b.nl', password: 'x', count: 3, themes: ['one'] },
      typed: { email: 'a@b.nl', password: 'x', count: '3', languages: [], themes: ['one'], choice: '', _csrf: '' },
    })
    const wrong = readForm(Form, {
      email: 'x'.repeat(11),
      password: '',
      count: '10',
      languages: ['nl', 'fr', 'de', 'en'],
      choice: 'c',
    })
    t.same(wrong, {
      ok: false,
      errors: {
        email: 'form.tooLong',
        password: 'form.required',
        count: 'form.tooLong',
        languages: 'form.invalid',
        choice: 'form.invalid',
      },
      typed: {
        email: 'x'.repeat(11),
        password: '',
        count: '10',
        languages: ['nl', 'fr', 'de', 'en'],
        themes: [],
        choice: 'c',
        _csrf: '',
      },
    })
    t.same(readForm(Form, { languages: 'nld', email: ['a', 'b'] }), {
      ok: false,
      errors: { email: 'form.invalid', password: 'form.required', languages: 'form.tooLong' },
      typed: { email: '', password: '', count: '', languages: ['nld'], themes: [], choice: '', _csrf: '' },
    })
    t.same(readForm(Form, undefined).ok, false, 'no body is a form with no fields')
    t.same(readQuery(Form, { email: 'a' }), {}, 'a wrong query says nothing')
  },
)
