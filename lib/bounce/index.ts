export { classifyMessage, notABounce, notRead } from './classify';
export { categoryFor, categoryOfReason } from './category';
export { messageFromEmailTriggerFields, messageFromText, startsWithHeader } from './email-trigger';
export type { EmailTriggerFields } from './email-trigger';
export * from './types';
export { classifyRefusalAtSend } from './refusal-at-send';
export { ownDomainList } from './own-copy';
export type { RefusalAtSend, RefusalClassification } from './refusal-at-send';
