import t from 'tap'
import { fieldErrors } from '../../server/routes/forms.js'

t.test('schema errors become one message key per field', async (t) => {
  const errors = fieldErrors([
    { keyword: 'maxLength', instancePath: '/email', schemaPath: '', params: {}, message: '' },
    { keyword: 'required', instancePath: '', schemaPath: '', params: { missingProperty: 'password' }, message: '' },
    { keyword: 'type', instancePath: '/email', schemaPath: '', params: {}, message: '' },
    { keyword: 'type', instancePath: '/cost', schemaPath: '', params: {}, message: '' },
  ])
  t.same(errors, { email: 'form.tooLong', password: 'form.required', cost: 'form.invalid' })
})
