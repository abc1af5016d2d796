/**
 * Search queries for the load test: listener-style questions on topics the first Lex Fridman
 * episodes cover (AI, physics, consciousness, robots), short keyword queries and long questions
 * so both legs of hybrid search do real work.
 */
const TOPICS = [
  'consciousness',
  'the meaning of life',
  'how neural networks learn',
  'artificial general intelligence being dangerous',
  'the universe as a mathematical structure',
  'self-driving cars and autopilot safety',
  'advice for young people',
  'reinforcement learning for robots',
  'deep learning hype and its limitations',
  'getting into computer science',
  'Google search and the future of information',
  'free will',
  'love and death',
  'the simulation hypothesis',
  'machines being creative',
  'regulating technology companies',
  'government funding of AI research',
  'building a startup',
  'brain-computer interfaces',
  'books that changed your life',
  'black holes',
  'teaching and mentoring students',
  'intelligence and the human brain',
  'existential risk from superintelligence',
];
const FRAMES = ['{}', 'what did they say about {}', 'opinions on {}', 'why does {} matter', 'explain {}', 'the conversation about {}', 'is {} overrated', 'examples of {}', 'history of {}', 'a story about {}'];

/**
 * Query number i. 240 distinct strings, so a cache of query embeddings in the server would not
 * turn the load test into a cache benchmark at the request counts a 10 s run reaches.
 */
export function benchQuery(i: number): string {
  const topic = TOPICS[i % TOPICS.length];
  const frame = FRAMES[Math.floor(i / TOPICS.length) % FRAMES.length];
  return frame.replace('{}', topic);
}
