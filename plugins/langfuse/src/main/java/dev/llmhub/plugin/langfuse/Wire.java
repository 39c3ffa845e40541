package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.ExportResult;
import java.util.List;
import java.util.Map;

/**
 * One of Langfuse's two endpoints as {@link BatchSender} uses it: how a generation is encoded, how
 * encoded parts make a request, and what an accepted request's answer says per record.
 *
 * @param <P> one record's encoded part
 */
interface Wire<P> {
    /** @return the endpoint's path under the host */
    String path();

    /** @param g a generation @return its encoded part */
    P encode(Generation g);

    /** @param part an encoded part @return the generation it was encoded from */
    Generation generation(P part);

    /** @param part an encoded part @return the bytes it adds to a request body */
    int size(P part);

    /** @return the bytes of a request body with no part */
    int overhead();

    /** @param parts encoded parts @return the request body carrying them, before any compression */
    byte[] body(List<P> parts);

    /**
     * Sends one request body (compressed if the endpoint and settings allow it).
     *
     * @param http the client
     * @param body the body as {@link #body} made it
     * @return the answer
     */
    LangfuseHttp.Answer post(LangfuseHttp http, byte[] body);

    /**
     * Reads a 2xx answer, which may still refuse single records.
     *
     * @param answer the answer
     * @param parts  what the request carried
     * @param failed record id to failure: records the answer refused are added
     */
    void accepted(LangfuseHttp.Answer answer, List<P> parts, Map<String, ExportResult> failed);
}
