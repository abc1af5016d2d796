/**
 * What a show says that answers nobody's question: sponsor reads, greetings and thank-yous, the
 * host's introduction, the host moving on to the next question. Pure text and time tests, shared
 * by the offline answer and summaries.
 */

/** Ad copy: sponsor phrasing, offer codes, the calls to action of a read. */
const SPONSOR =
  /\b(brought to you by|sponsor(ed|s)?\b|presented by|promo code|use (the )?code|cash ?app|five stars on|rate it on|subscribe on youtube|review it on|support (it|this podcast|the podcast) on patreon|free trial|\d+% off|go to [a-z0-9-]+\.(com|org|io|co)|download [a-z ]{0,20}app|sign up (at|for|with)|masterclass|expressvpn|athletic greens|eight sleep|magic spoon|betterhelp|linode)/i;

/** Greetings, thanks and the show's own framing: "welcome", "thank you for talking to me". */
const PLEASANTRY =
  /\b(welcome (back )?to|thank(s| you)( so much| very much)? (for|again)|let me say thank you|thank you, (lex|everyone)|it'?s (an|a great|a real) (honor|pleasure)|great to (be here|see you)|conversation with|this is the [a-z ]{0,30}podcast|my guest|(i'?m|is) your host|please enjoy|listening to this|enjoy (this|the) (conversation|episode)|if you enjoy (this|the)|follow (me|us|him|her) on)\b/i;

/** Where the host's introduction usually ends (reads, the guest's bio, the first thank-you). */
export const INTRO_MS = 180_000;

/** True for a sponsor read. */
export const isSponsorRead = (text: string) => SPONSOR.test(text);

/** True for greetings, thanks and show framing. */
export const isPleasantry = (text: string) => PLEASANTRY.test(text);

/** True for text that is not content: a sponsor read, a pleasantry. */
export const isBoilerplate = (text: string) => isSponsorRead(text) || isPleasantry(text);

/** The host moving on ("Okay, so let me ask you about Mars."): the end of the guest's reply. */
const HOST_TURN = /^(?:(?:okay|ok|alright|all right|well|and|so)[,\s]+)*(?:let me ask|let's talk about|i'?m (?:gonna|going to) ask|i want(?:ed)? to ask|can i ask|speaking of|let's go to|let me go)\b/i;

/** True for a sentence where the host moves to the next question. */
export const isHostTurn = (text: string) => HOST_TURN.test(text.trim());

/** True inside the opening minutes, where the host introduces the guest and reads the sponsors. */
export const inIntro = (startMs: number) => startMs < INTRO_MS;
