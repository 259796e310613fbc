package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.model.ModelCatalog;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.List;

/**
 * The custom search attributes a generation is started with, so operators can list generations by
 * tenant, model and job class ({@code temporal workflow list --query 'DdTenant="acme"'}). A server
 * refuses to start a workflow with attributes it does not know: {@code
 * deploy/temporal/search-attributes.sh} registers them on a cluster, the launcher on its test
 * server.
 */
public final class GenerationSearchAttributes {

  public static final SearchAttributeKey<String> TENANT = SearchAttributeKey.forKeyword("DdTenant");
  public static final SearchAttributeKey<String> MODEL = SearchAttributeKey.forKeyword("DdModel");
  public static final SearchAttributeKey<String> PRIORITY =
      SearchAttributeKey.forKeyword("DdPriority");
  public static final List<SearchAttributeKey<String>> ALL = List.of(TENANT, MODEL, PRIORITY);

  private GenerationSearchAttributes() {}

  /** The attributes of a request that passed validation. */
  public static SearchAttributes of(GenerationRequest request, ModelCatalog catalog) {
    return SearchAttributes.newBuilder()
        .set(TENANT, request.tenantId())
        .set(MODEL, request.model() == null ? catalog.defaultModel() : request.model())
        .set(PRIORITY, RequestValidation.priority(request))
        .build();
  }
}
