// Every text Tongxing sends by SMS or email. Chinese first, English after, in one message: the
// language a person chose on a page is not known to the worker that sends later.
export * from './codes.ts';
export * from './links.ts';
export * from './notices.ts';
export { clause } from './clause.ts';
