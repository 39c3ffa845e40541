/**
 * The llmhub plugin API: what a plugin author compiles against.
 *
 * <p>A plugin is a PF4J zip in the proxy's {@code plugins/} directory holding one or more
 * {@code @Extension}s of {@link dev.llmhub.api.DestinationFactory} (ship records somewhere) or
 * {@link dev.llmhub.api.CallbackHandlerFactory} (run your own code on each call). The config enables
 * them by name. Every call becomes one immutable, redacted {@link dev.llmhub.api.CallRecord}.
 *
 * <p>This package depends on the JDK and PF4J only; the proxy shares it (and PF4J and SLF4J) with
 * every plugin, so a plugin must declare it {@code provided} and never bundle it.
 */
package dev.llmhub.api;
