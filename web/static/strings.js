// The chat's words in English and Chinese; the chat speaks the language of the reader's last question.
"use strict";

const STRINGS = {
  en: {
    title: "Briefing QA — press briefing answers", tagline: "The official's own words, cited to the line",
    speaker: "Speaker", everyone: "Everyone", transcript: "Briefing", allTranscripts: "All briefings",
    clear: "Clear", ask: "Ask", question: "Your question",
    placeholder: "Ask in Chinese or English (Enter to send, Shift+Enter for a new line)",
    examples: "Try a question", searching: "Searching the transcripts…",
    clearAnswer: "Answer", closest: "Closest we found — the briefing may not answer exactly this; check the source.",
    notFound: "Not found in the briefing.", closestList: "Closest exchanges (not answers)",
    alsoRelevant: "Also relevant", asked: "Reporter asked:", opening: "From the opening statement",
    fullAnswer: "Full answer", match: "Match", by: "Speaker identified by", unsure: "Speaker uncertain",
    unsureWhy: "nothing in the transcript names who gave this answer", confidence: "confidence",
    questionN: "question", lines: "lines", openingWhere: "opening statement", cleared: "Conversation cleared.",
    undo: "Undo", filters: "Active filters", removeFilter: "Remove filter", filteredBy: "Asked with filter",
    about: (name, n) => "Everything " + name + " said · " + n + (n === 1 ? " answer" : " answers"),
    error: "Could not answer: ", retry: "Try again", unreachable: "the server could not be reached",
    status: (code) => "the server answered " + code, language: "中文", readAs: "Read as:",
  },
  zh: {
    title: "Briefing QA — 发布会问答", tagline: "发布人原话，逐行可查",
    speaker: "发言人", everyone: "全部", transcript: "发布会", allTranscripts: "全部发布会",
    clear: "清空", ask: "提问", question: "你的问题",
    placeholder: "中英文提问均可（Enter 发送，Shift+Enter 换行）",
    examples: "试着问", searching: "正在查找…",
    clearAnswer: "回答", closest: "最接近的回答——发布会可能没有正面回答这个问题，请核对原文。",
    notFound: "发布会实录中没有找到这个问题的答案。", closestList: "最接近的问答（并非答案）",
    alsoRelevant: "其他相关回答", asked: "记者问：", opening: "开场介绍",
    fullAnswer: "完整回答", match: "匹配度", by: "发言人依据", unsure: "发言人不确定",
    unsureWhy: "实录中没有标明这段回答的发言人", confidence: "置信度",
    questionN: "第%问", lines: "行", openingWhere: "开场介绍", cleared: "对话已清空。",
    undo: "撤销", filters: "当前筛选", removeFilter: "取消筛选", filteredBy: "提问时的筛选",
    about: (name, n) => name + "的全部回答 · 共" + n + "条",
    error: "无法回答：", retry: "重试", unreachable: "无法连接服务器",
    status: (code) => "服务器返回 " + code, language: "English", readAs: "理解为：",
  },
};
