// What the enterprise pages say.
import type { Catalogue } from '../http/i18n.ts';

export const enterpriseMessages: Catalogue = {
  'enterprise.register_intro': {
    'zh-CN': '企业用户以邮箱注册，并填写单位名称和统一社会信用代码；每个信用代码只能注册一个企业帐号。',
    en: 'Enterprises register with an email address, their name and their unified social credit code; one account per code.',
  },
  'enterprise.name': { 'zh-CN': '单位名称', en: 'Enterprise name' },
  'enterprise.name_required': { 'zh-CN': '请填写单位全称', en: 'Enter the full name of the enterprise' },
  'enterprise.credit_code': { 'zh-CN': '统一社会信用代码', en: 'Unified social credit code' },
  'enterprise.credit_code_hint': { 'zh-CN': '18 位，见营业执照', en: '18 characters, on the business licence' },
  'enterprise.credit_code_invalid': { 'zh-CN': '统一社会信用代码不正确，请核对营业执照', en: 'That credit code is not valid; check the business licence' },
  'enterprise.credit_code_taken': {
    'zh-CN': '该统一社会信用代码已注册企业帐号。忘记用户名或密码的，请提交帐号查找申请。',
    en: 'An enterprise account exists for this credit code. Lost the username or password? Send a look-up request.',
  },
  'enterprise.contact_name': { 'zh-CN': '联系人姓名', en: 'Contact person' },
  'enterprise.contact_name_required': { 'zh-CN': '请填写联系人姓名', en: 'Enter the contact person’s name' },
  'enterprise.lookup_title': { 'zh-CN': '企业用户找回用户名或密码', en: 'Enterprise: recover username or password' },
  'enterprise.lookup_intro': {
    'zh-CN': '请上传加盖单位公章的《企业用户帐号查找申请函》。客服核实后，会把用户名发给您留下的联系方式，或向您留下的邮箱发送重设密码的链接。',
    en: 'Upload the enterprise account look-up letter bearing your official stamp. After checking it, support sends the username to the contact you give, or a password-reset link to the email you give.',
  },
  'enterprise.lookup_not_charged': {
    'zh-CN': '如果从未使用学信卡成功充值，无需查找原帐号，重新注册企业用户即可。',
    en: 'If the account was never topped up, there is no need to find it: register a new enterprise account.',
  },
  'enterprise.contact_phone': { 'zh-CN': '联系人手机号', en: 'Contact mobile number' },
  'enterprise.contact_email': { 'zh-CN': '联系人邮箱', en: 'Contact email' },
  'enterprise.contact_hint': {
    'zh-CN': '手机号和邮箱至少填一项；找回密码必须填写邮箱。',
    en: 'Give a mobile number or an email; a password reset needs an email.',
  },
  'enterprise.contact_required': { 'zh-CN': '请至少填写手机号或邮箱', en: 'Give a mobile number or an email' },
  'enterprise.email_for_reset': { 'zh-CN': '找回密码需要填写邮箱，重设链接将发到这里', en: 'A password reset needs an email: the link goes there' },
  'enterprise.phone_invalid': { 'zh-CN': '请输入正确的手机号码', en: 'Enter a valid mobile number' },
  'enterprise.wants': { 'zh-CN': '需要找回', en: 'What do you need?' },
  'enterprise.wants_username': { 'zh-CN': '用户名', en: 'The username' },
  'enterprise.wants_password': { 'zh-CN': '密码', en: 'A new password' },
  'enterprise.letter': { 'zh-CN': '申请函（盖章）', en: 'Stamped letter' },
  'enterprise.letter_hint': {
    'zh-CN':
      '照片或扫描件：jpg、png、gif 或 pdf，不超过 2 MB。无法提供学信卡卡号和密码的，请把购买学信卡的发票与申请函扫描在同一个 PDF 中（或拍在同一张照片里）。',
    en: 'A photo or scan: jpg, png, gif or pdf, at most 2 MB. Without the card number and password, scan the invoice of the card purchase into the same PDF as the letter (or the same photo).',
  },
  'enterprise.letter_required': { 'zh-CN': '请上传盖章的申请函', en: 'Upload the stamped letter' },
  'enterprise.letter_too_large': { 'zh-CN': '文件不能超过 2 MB', en: 'The file must be at most 2 MB' },
  'enterprise.letter_type': {
    'zh-CN': '仅支持 jpg、png、gif 图片或 pdf 文件（按文件内容判断）',
    en: 'Only jpg, png or gif images or pdf files (judged by content)',
  },
  'enterprise.letter_broken': { 'zh-CN': 'PDF 文件不完整，请重新导出后上传', en: 'The PDF is incomplete; export it again and upload it' },
  'enterprise.letter_active': {
    'zh-CN': 'PDF 中含有脚本、自动操作、附件或加密，请导出为普通 PDF 或拍照上传',
    en: 'The PDF contains scripts, automatic actions, attachments or encryption; export a plain PDF or upload a photo',
  },
  'enterprise.lookup_submit': { 'zh-CN': '提交申请', en: 'Send the request' },
  'enterprise.lookup_submitted': {
    'zh-CN': '申请已提交。客服核实申请函后，会通过您留下的联系方式答复，请留意短信或邮件。',
    en: 'Request sent. Once support has checked the letter, they answer through the contact you gave; watch for a message.',
  },
};
