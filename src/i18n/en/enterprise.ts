// 企业用户: registration and look-up letters.
import type { enterprise as zh } from '../zh-CN/enterprise.ts';

export const enterprise: Record<keyof typeof zh, string> = {
  'enterprise.register_intro':
    'Enterprises register with an email address, their name and their unified social credit code, then send a stamped letter for support to confirm the account; a code has one confirmed account.',
  'enterprise.name': 'Enterprise name',
  'enterprise.name_required': 'Enter the full name of the enterprise',
  'enterprise.credit_code': 'Unified social credit code',
  'enterprise.credit_code_hint': '18 characters, on the business licence',
  'enterprise.credit_code_invalid': 'That credit code is not valid; check the business licence',
  'enterprise.credit_code_taken': 'An enterprise account exists for this credit code. Lost the username or password? Send a look-up request.',
  'enterprise.contact_name': 'Contact person',
  'enterprise.contact_name_required': 'Enter the contact person’s name',
  'enterprise.lookup_title': 'Enterprise: recover username or password',
  'enterprise.lookup_intro':
    'Upload the enterprise account look-up letter bearing your official stamp. After checking it, support sends the username to the contact you give, or a password-reset link to the email you give.',
  'enterprise.lookup_not_charged': 'If the account was never topped up, there is no need to find it: register a new enterprise account.',
  'enterprise.contact_phone': 'Contact mobile number',
  'enterprise.contact_email': 'Contact email',
  'enterprise.contact_hint': 'Give a mobile number or an email; a password reset needs an email.',
  'enterprise.contact_required': 'Give a mobile number or an email',
  'enterprise.email_for_reset': 'A password reset needs an email: the link goes there',
  'enterprise.phone_invalid': 'Enter a valid mobile number',
  'enterprise.wants': 'What do you ask for?',
  'enterprise.wants_username': 'The username',
  'enterprise.wants_password': 'A new password',
  'enterprise.wants_confirm': 'Confirmation of a registered enterprise account (until then others may register the same credit code)',
  'enterprise.letter': 'Stamped letter',
  'enterprise.letter_hint':
    'A photo or scan: jpg, png, gif or pdf (at most 10 pages), at most 2 MB. Without the card number and password, scan the invoice of the card purchase into the same PDF as the letter (or the same photo).',
  'enterprise.letter_required': 'Upload the stamped letter',
  'enterprise.letter_too_large': 'The file must be at most 2 MB',
  'enterprise.letter_type': 'Only jpg, png or gif images or pdf files (judged by content)',
  'enterprise.letter_broken': 'The PDF is incomplete; export it again and upload it',
  'enterprise.letter_active': 'The PDF contains scripts, automatic actions, attachments or encryption; export a plain PDF or upload a photo',
  'enterprise.letter_too_many_pages': 'The PDF may have at most {max} pages; keep only the letter and the invoice it needs',
  'enterprise.letter_unrenderable': 'The pages of this PDF cannot be shown (too complex or damaged); export a plain PDF again or upload a photo',
  'enterprise.lookup_submit': 'Send the request',
  'enterprise.lookup_submitted': 'Request sent. Once support has checked the letter, they answer through the contact you gave; watch for a message.',
};
