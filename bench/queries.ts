/**
 * Search queries for the load test: listener-style questions on topics the first Lex Fridman
 * episodes cover (AI, physics, consciousness, robots), mixing short keyword queries and long
 * questions so both legs of hybrid search do real work.
 */
export const BENCH_QUERIES = [
  'consciousness',
  'what is the meaning of life',
  'how do neural networks learn',
  'will artificial general intelligence be dangerous',
  'the universe as a mathematical structure',
  'self-driving cars and autopilot safety',
  'what advice would you give to young people',
  'reinforcement learning robots',
  'deep learning hype and limitations',
  'how did you get into computer science',
  'Google search and the future of information',
  'is free will an illusion',
  'love and death',
  'the simulation hypothesis',
  'can machines be creative',
  'regulating technology companies',
  'the role of government in AI research',
  'how to build a startup',
  'brain-computer interfaces',
  'what books changed your life',
  'physics of black holes',
  'teaching and mentoring students',
  'the nature of intelligence and the human brain',
  'existential risk from superintelligence',
];
