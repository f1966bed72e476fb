// A passkey's name: the person's own words for the device that holds it ("我的手机"), shown in the
// list and in notices. One line of at most NAME_MAX characters, no control characters.
import { AppError } from '../lib/errors.ts';

export const NAME_MAX = 40;

export function passkeyName(input: string | undefined): string {
  const name = (input ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!name) throw new AppError('passkeys.name_required', { field: 'name', params: { max: NAME_MAX } });
  // eslint-disable-next-line no-control-regex
  if ([...name].length > NAME_MAX || /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/.test(name))
    throw new AppError('passkeys.name_invalid', { field: 'name', params: { max: NAME_MAX } });
  return name;
}
