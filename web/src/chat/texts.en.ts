// The chat widget's texts in English; texts.de.ts has the same keys.
export const chatEn = {
  "chat.open": "Ask the help assistant",
  "chat.title": "Help assistant",
  "chat.close": "Close the assistant",
  "chat.log": "Conversation with the help assistant",
  "chat.you": "You",
  "chat.bot": "Assistant",
  "chat.input": "Your message",
  "chat.send": "Send",
  "chat.typing": "The assistant is writing…",
  "chat.choices": "Answers to choose from",
  "chat.article": "Read the article: {title}",
  "chat.ticket": "Open ticket #{number}",
  "chat.restart": "Start a new conversation",
  "chat.ended": "This conversation has ended.",
  "chat.error": "The assistant could not be reached. Please try again.",
  "chat.tooMany": "Too many messages at once. Please wait a moment and try again.",
};
