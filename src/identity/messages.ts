// What the real-name pages say. The duplicate-ID prompts are the seeds' own words.
import type { Catalogue } from '../http/i18n.ts';

export const identityMessages: Catalogue = {
  'identity.title': { 'zh-CN': '基本信息', en: 'Basic information' },
  'identity.intro': {
    'zh-CN': '请准确填写本人真实的姓名、证件类型和证件号码。保存后不能自行修改。没有身份证的可填写其他有效证件。',
    en: 'Enter your real name, document type and number exactly as on the document. They cannot be changed by you once saved. Without a resident ID card, use another valid document.',
  },
  'identity.name': { 'zh-CN': '姓名', en: 'Name' },
  'identity.id_type': { 'zh-CN': '证件类型', en: 'Document type' },
  'identity.id_number': { 'zh-CN': '证件号码', en: 'Document number' },
  'identity.submit': { 'zh-CN': '确定', en: 'Save' },
  'identity.re_register': { 'zh-CN': '我要重新注册', en: 'I want to register again' },
  'identity.re_register_warning': {
    'zh-CN': '友情提示：如果选择“我要重新注册”，管理员审核后证件号码关联的旧帐号将被注销，旧帐号将不能用于征兵、研招报名。',
    en: 'Note: if you choose “register again”, once verified the older accounts holding this number are deregistered and can no longer be used for conscription or graduate applications.',
  },
  'identity.saved': { 'zh-CN': '基本信息已保存。', en: 'Your basic information is saved.' },
  'identity.resolution_link': { 'zh-CN': '【解决办法】验证身份信息', en: 'Solutions: verify your identity' },
  'identity.saved_claimant': {
    'zh-CN': '基本信息已保存。当前帐号因证件号码重复，需要验证身份信息，验证通过后即可正常使用。',
    en: 'Saved. Because this ID number is also held by another account, your identity must be verified before the account can be used normally.',
  },
  'identity.locked': { 'zh-CN': '姓名、证件类型和证件号码保存后不能修改。', en: 'Name, document type and number cannot be changed once saved.' },
  'identity.case3_help': {
    'zh-CN': '证件号码填写错误？注册信息中的证件号码不允许修改，请使用新的用户名重新注册，或联系客服协助核验处理。',
    en: 'Entered a wrong number? It cannot be edited: register again with a new username, or ask customer service to check and help.',
  },
  'identity.already_saved': { 'zh-CN': '基本信息已经保存，不能修改。', en: 'Your basic information is already saved and cannot be changed.' },
  'identity.case2_registered': { 'zh-CN': '证件号码已被注册，查看【解决方法】', en: 'This ID number is already registered. See [Solutions]' },
  'identity.case1_pending': {
    'zh-CN': '证件号码重复待审核，不能再次注册此证件号码',
    en: 'This ID number is duplicated and under review; it cannot be registered again',
  },
  'identity.registry_mismatch': { 'zh-CN': '姓名与证件号码不一致，请核对后重新填写', en: 'The name does not match the ID number; please check both' },
  'identity.format_only': { 'zh-CN': '已核对格式（未与公安系统联审）', en: 'Format checked (not checked against the public-security registry)' },
  'identity.registry_match': { 'zh-CN': '已通过公安系统联审', en: 'Checked against the public-security registry' },
  'identity.registry_unavailable': { 'zh-CN': '公安联审暂不可用，已核对格式', en: 'Registry check unavailable; format checked' },
  'identity.bound': { 'zh-CN': '实名信息已绑定', en: 'Real-name information bound' },
  'identity.not_bound': { 'zh-CN': '实名信息未绑定', en: 'Real-name information not bound' },
  'identity.solutions_title': { 'zh-CN': '证件号码已被注册的解决方法', en: 'When the ID number is already registered' },
  'identity.solutions_open': { 'zh-CN': '在新窗口中打开解决方法', en: 'Open the solutions in a new window' },
  'identity.solution_login': {
    'zh-CN': '如果您曾经用此证件号码注册过帐号，请使用原帐号直接登录。',
    en: 'If you registered with this number before, sign in with that account.',
  },
  'identity.solution_recover': {
    'zh-CN': '如果您忘记了原帐号，可以尝试找回用户名、找回密码。',
    en: 'If you forgot that account, recover its username or password.',
  },
  'identity.solution_re_register': {
    'zh-CN':
      '如果您的确未使用此证件号码注册过帐号，可以勾选“我要重新注册”并完成填写；之后需要通过以下任一途径验证身份：APP 自助验证、上传手持身份证照片由客服审核、大学同班同学协助、提供学籍或学历信息。',
    en: 'If you never registered with this number, tick “register again” and finish; you then verify your identity by one of: app self-verification, a handheld ID photo reviewed by staff, a university classmate vouching, or your student-status or degree records.',
  },
  'identity.case1_help': {
    'zh-CN':
      '友情提示：请用原注册帐号登录系统，并及时上传身份证审核材料；本网站核对无误后将在三个工作日内处理完毕。如果您忘记了注册信息，可以尝试找回密码、找回用户名。',
    en: 'Note: sign in with your original account and upload your ID documents for review; we process them within three working days. Forgot your details? Recover your password or username.',
  },
  'binding.title': { 'zh-CN': '实名信息绑定', en: 'Bind real-name information' },
  'binding.by_phone': { 'zh-CN': '方式一：手机号绑定', en: 'Option 1: bind a mobile number' },
  'binding.by_email': { 'zh-CN': '方式二：邮箱绑定', en: 'Option 2: bind an email address' },
  'binding.done': { 'zh-CN': '已绑定成功（{contact}）', en: 'Bound ({contact})' },
  'binding.email_code': { 'zh-CN': '邮件校验码', en: 'Email code' },
  'binding.code_sent': {
    'zh-CN': '校验码已发送至 {to}，1 天内有效，无需频繁获取。',
    en: 'A code was sent to {to}; it is valid for 1 day, no need to ask again.',
  },
  'binding.bound_phone': { 'zh-CN': '手机号绑定成功。', en: 'Mobile number bound.' },
  'binding.bound_email': { 'zh-CN': '邮箱绑定成功。', en: 'Email address bound.' },
  'binding.hint': {
    'zh-CN':
      '请确保手机号码或邮箱为本人所有，且未被其他帐号注册或绑定使用过。收不到校验码时请检查号码是否正确并耐心等待，校验码 1 天内有效，请勿频繁获取，以免被加入黑名单。',
    en: 'Use a mobile number or address of your own that no other account has registered or bound. If the code does not arrive, check the number and wait: it is valid for 1 day; asking repeatedly can get the number blocked.',
  },
  'binding.identity_first': { 'zh-CN': '请先填写基本信息。', en: 'Enter your basic information first.' },
  'binding.resolve_first': { 'zh-CN': '证件号码重复问题解决后才能绑定实名信息。', en: 'Binding opens once the duplicate ID number is resolved.' },
  'binding.already_bound': { 'zh-CN': '已绑定成功，无需重复绑定；如需更换，请在帐号管理中操作。', en: 'Already bound; to change it, use account management.' },
  'classmate.title': { 'zh-CN': '请同学协助绑定', en: 'Ask a classmate to help' },
  'classmate.intro': {
    'zh-CN':
      '收不到校验码时，可以请已完成手机实名绑定的同学协助：输入同学姓名、同学手机号和自己的手机号，然后请该同学登录帐号，点击页面右上角的收件箱图标进行确认。请求 7 天内有效。',
    en: 'If codes do not reach you, a classmate who has bound their phone can confirm for you: enter their name and mobile number and your own, then ask them to open the inbox icon at the top right of their account. Requests last 7 days.',
  },
  'classmate.name': { 'zh-CN': '同学姓名', en: "Classmate's name" },
  'classmate.phone': { 'zh-CN': '同学手机号', en: "Classmate's mobile number" },
  'classmate.own_phone': { 'zh-CN': '自己手机号', en: 'Your mobile number' },
  'classmate.sent': {
    'zh-CN': '协助请求已发送，请通知同学登录帐号，在收件箱中确认。',
    en: 'Request sent. Ask your classmate to sign in and confirm it in their inbox.',
  },
  'classmate.not_found': {
    'zh-CN': '未找到符合条件的同学：请核对同学姓名和手机号，且该同学须已完成手机实名绑定。',
    en: 'No matching classmate: check the name and number; the classmate must have bound their phone.',
  },
  'classmate.pending': {
    'zh-CN': '已有一条等待同学处理的请求，请等待同学确认或请求过期后再试。',
    en: 'A request is already waiting for your classmate; wait for an answer or for it to expire.',
  },
  'classmate.state_pending': { 'zh-CN': '协助请求已发送，等待同学确认。', en: 'Your request is waiting for your classmate.' },
  'classmate.state_accepted': { 'zh-CN': '同学已确认协助。', en: 'Your classmate confirmed.' },
  'classmate.state_declined': {
    'zh-CN': '同学拒绝了协助请求，可以重新发送或改用其他方式。',
    en: 'Your classmate declined; send another request or bind another way.',
  },
  'classmate.state_expired': { 'zh-CN': '协助请求已过期，可以重新发送。', en: 'Your request expired; you can send another.' },
  'name.required': { 'zh-CN': '请输入姓名', en: 'Enter your name' },
  'name.too_short': { 'zh-CN': '姓名至少 2 个字', en: 'A name has at least 2 characters' },
  'name.too_long': { 'zh-CN': '姓名过长', en: 'This name is too long' },
  'name.chars': { 'zh-CN': '姓名只能包含汉字（少数民族姓名可用间隔号“·”）', en: 'Use Chinese characters (with the middle dot “·” for minority names)' },
  'name.chinese_expected': { 'zh-CN': '该证件类型请填写中文姓名', en: 'For this document, enter the name in Chinese characters' },
  'name.dot_misplaced': { 'zh-CN': '间隔号“·”只能出现在两个汉字之间', en: 'The middle dot “·” goes between two characters' },
  'identity.enterprise_account': { 'zh-CN': '企业帐号不填写个人实名信息。', en: 'Enterprise accounts hold no personal real-name information.' },
};
