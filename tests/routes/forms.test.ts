import t from 'tap'
import { fieldErrors, safeNext } from '../../server/routes/forms.js'

t.test('only paths on this site are followed after a form', async (t) => {
  const table: [unknown, string][] = [
    ['/official', '/official'], ['/rounds/x?y=1', '/rounds/x?y=1'],
    ['https://evil.example', '/'], ['//evil.example', '/'], ['/\\evil.example', '/'], ['', '/'], [undefined, '/'], [['/a'], '/'],
  ]
  for (const [next, expected] of table) t.equal(safeNext(next, '/'), expected, JSON.stringify(next))
})

t.test('schema errors become one message key per field', async (t) => {
  const errors = fieldErrors([
    { keyword: 'maxLength', instancePath: '/email', schemaPath: '', params: {}, message: '' },
    { keyword: 'required', instancePath: '', schemaPath: '', params: { missingProperty: 'password' }, message: '' },
    { keyword: 'type', instancePath: '/email', schemaPath: '', params: {}, message: '' },
    { keyword: 'type', instancePath: '/cost', schemaPath: '', params: {}, message: '' },
  ])
  t.same(errors, { email: 'form.tooLong', password: 'form.required', cost: 'form.invalid' })
})
