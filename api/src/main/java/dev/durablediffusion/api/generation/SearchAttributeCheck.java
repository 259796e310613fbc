package dev.durablediffusion.api.generation;

import dev.durablediffusion.workflows.generation.GenerationSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.common.SearchAttributeKey;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the API starts generations with search attributes: does the namespace know them? A server
 * refuses every start that names an unknown attribute, so a missing registration would fail every
 * submission; this makes it fail the API's start instead, with the fix in the message.
 */
public final class SearchAttributeCheck {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeCheck.class);

  private SearchAttributeCheck() {}

  /**
   * @throws IllegalStateException naming the attributes the namespace lacks or types differently
   */
  public static void verify(
      OperatorServiceGrpc.OperatorServiceBlockingStub operator, String namespace) {
    Map<String, IndexedValueType> known;
    try {
      known =
          operator
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNIMPLEMENTED) {
        log.info("This Temporal server lists no search attributes (a test server): not checked");
        return;
      }
      if (code == Status.Code.PERMISSION_DENIED) {
        log.warn(
            "Not allowed to list the search attributes of namespace {}: {} unchecked",
            namespace,
            names());
        return;
      }
      throw e;
    }
    List<String> missing =
        names().stream()
            .filter(name -> known.get(name) != IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Temporal namespace "
              + namespace
              + " has no Keyword search attribute "
              + String.join(", ", missing)
              + ": run deploy/temporal/search-attributes.sh against it, or set"
              + " dd.api.search-attributes=false");
    }
  }

  private static List<String> names() {
    return GenerationSearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList();
  }
}
