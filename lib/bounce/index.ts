export { classifyMessage, notABounce } from './classify';
export { messageFromEmailTriggerFields } from './email-trigger';
export type { EmailTriggerFields } from './email-trigger';
export * from './types';
