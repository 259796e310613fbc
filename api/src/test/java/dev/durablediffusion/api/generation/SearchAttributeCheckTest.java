package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SearchAttributeCheckTest {

  private static final IndexedValueType KEYWORD = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
  }

  @Test
  void passesWhenTheNamespaceHasEveryAttributeAsKeyword() throws IOException {
    var operator =
        operatorAnswering(
            r ->
                attributes(Map.of("DdTenant", KEYWORD, "DdModel", KEYWORD, "DdPriority", KEYWORD)));

    assertThatCode(() -> SearchAttributeCheck.verify(operator, "durable-diffusion"))
        .doesNotThrowAnyException();
  }

  @Test
  void namesTheMissingAndMistypedAttributesAndTheFix() throws IOException {
    var operator =
        operatorAnswering(
            r ->
                attributes(
                    Map.of(
                        "DdTenant",
                        KEYWORD,
                        "DdPriority",
                        IndexedValueType.INDEXED_VALUE_TYPE_TEXT)));

    assertThatThrownBy(() -> SearchAttributeCheck.verify(operator, "durable-diffusion"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("namespace durable-diffusion")
        .hasMessageContaining("DdModel, DdPriority")
        .hasMessageNotContaining("DdTenant")
        .hasMessageContaining("deploy/temporal/search-attributes.sh");
  }

  @Test
  void asksAboutTheConfiguredNamespace() throws IOException {
    var operator =
        operatorAnswering(
            r ->
                r.getNamespace().equals("other")
                    ? attributes(Map.of())
                    : attributes(
                        Map.of("DdTenant", KEYWORD, "DdModel", KEYWORD, "DdPriority", KEYWORD)));

    assertThatThrownBy(() -> SearchAttributeCheck.verify(operator, "other"))
        .hasMessageContaining("namespace other");
  }

  @Test
  void aServerThatCannotOrMayNotListThemIsNotChecked() throws IOException {
    for (Status refusal : new Status[] {Status.UNIMPLEMENTED, Status.PERMISSION_DENIED}) {
      var operator = operatorFailingWith(refusal);

      assertThatCode(() -> SearchAttributeCheck.verify(operator, "default"))
          .as(refusal.getCode().toString())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void otherServerErrorsFailTheStart() throws IOException {
    var operator = operatorFailingWith(Status.UNAVAILABLE);

    assertThatThrownBy(() -> SearchAttributeCheck.verify(operator, "default"))
        .isInstanceOf(StatusRuntimeException.class);
  }

  private OperatorServiceGrpc.OperatorServiceBlockingStub operatorFailingWith(Status status)
      throws IOException {
    return operatorAnswering(
        r -> {
          throw status.asRuntimeException();
        });
  }

  private static ListSearchAttributesResponse attributes(Map<String, IndexedValueType> custom) {
    return ListSearchAttributesResponse.newBuilder().putAllCustomAttributes(custom).build();
  }

  private OperatorServiceGrpc.OperatorServiceBlockingStub operatorAnswering(
      Function<ListSearchAttributesRequest, ListSearchAttributesResponse> answer)
      throws IOException {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new OperatorServiceGrpc.OperatorServiceImplBase() {
                  @Override
                  public void listSearchAttributes(
                      ListSearchAttributesRequest request,
                      StreamObserver<ListSearchAttributesResponse> response) {
                    try {
                      response.onNext(answer.apply(request));
                      response.onCompleted();
                    } catch (StatusRuntimeException e) {
                      response.onError(e);
                    }
                  }
                })
            .build()
            .start();
    servers.add(server);
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(channel);
    return OperatorServiceGrpc.newBlockingStub(channel);
  }
}
