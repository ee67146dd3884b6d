package io.lrnn.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.lrnn.server.common.BearerKey;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.grpc.v2.GRPCInferenceServiceGrpc;
import org.springframework.stereotype.Component;

/**
 * The REST API's key rule on gRPC: when {@code lrnn.security.api-key} is set and
 * {@code lrnn.security.protect-predict} is true, ModelInfer needs the metadata entry
 * {@code authorization: Bearer <key>} (UNAUTHENTICATED otherwise, with REST's message); health
 * and metadata RPCs are open, as {@code /v2}'s are.
 */
@Component
class AuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final BearerKey key;
    private final boolean protectPredict;

    AuthInterceptor(LrnnProperties properties) {
        this.key = new BearerKey(properties.security().apiKey());
        this.protectPredict = properties.security().protectPredict();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        boolean infer = call.getMethodDescriptor().getFullMethodName()
                .equals(GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName());
        if (infer && protectPredict && key.configured()) {
            String refusal = key.refusal(headers.get(AUTHORIZATION));
            if (refusal != null) {
                call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        }
        return next.startCall(call, headers);
    }
}
