/**
 * Anthropic's Messages API next to OpenAI's chat completions: the translations both ways (requests,
 * answers and streams) that let an OpenAI client reach an Anthropic deployment and an Anthropic client
 * reach an OpenAI-compatible one, and that put Messages calls into the record's chat shape.
 */
package dev.llmhub.core.anthropic;
