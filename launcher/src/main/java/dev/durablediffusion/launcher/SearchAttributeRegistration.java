package dev.durablediffusion.launcher;

import dev.durablediffusion.workflows.generation.GenerationSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Registers the generations' search attributes on the embedded Temporal server, as {@code
 * deploy/temporal/search-attributes.sh} does on a cluster, before the API takes its first request
 * (the web server starts after every bean). One attribute at a time: the server refuses a request
 * that names any attribute it already has.
 */
@Component
@ConditionalOnProperty(prefix = "dd.api", name = "search-attributes", havingValue = "true")
class SearchAttributeRegistration {

  SearchAttributeRegistration(
      WorkflowServiceStubs service, @Value("${spring.temporal.namespace}") String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      for (SearchAttributeKey<String> key : GenerationSearchAttributes.ALL) {
        register(operator, namespace, key.getName());
      }
    } finally {
      operator.shutdown();
    }
  }

  private static void register(OperatorServiceStubs operator, String namespace, String name) {
    try {
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }
}
