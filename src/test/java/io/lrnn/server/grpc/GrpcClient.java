package io.lrnn.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.lrnn.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.lrnn.server.grpc.v2.InferParameter;
import io.lrnn.server.grpc.v2.InferTensorContents;
import io.lrnn.server.grpc.v2.ModelInferRequest;
import io.lrnn.server.grpc.v2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/** A real Netty channel to the test server's gRPC port, and tensors built as clients send them. */
final class GrpcClient implements AutoCloseable {

    final ManagedChannel channel;

    GrpcClient(int port) {
        channel = NettyChannelBuilder.forAddress("localhost", port).usePlaintext().maxInboundMessageSize(64 << 20)
                .build();
    }

    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A stub that sends {@code authorization: <value>}. */
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String authorization) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, authorization);
        return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** One [B, n] input tensor of {@code rows} in {@code contents}, as {@code datatype}. */
    static ModelInferRequest.Builder contents(String model, String datatype, double[][] rows) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (double[] row : rows) {
            for (double v : row) {
                switch (datatype) {
                    case "FP64" -> contents.addFp64Contents(v);
                    case "FP32" -> contents.addFp32Contents((float) v);
                    case "INT8", "INT16", "INT32" -> contents.addIntContents((int) v);
                    case "INT64" -> contents.addInt64Contents((long) v);
                    case "UINT8", "UINT16", "UINT32" -> contents.addUintContents((int) (long) v);
                    case "UINT64" -> contents.addUint64Contents((long) v);
                    default -> throw new IllegalArgumentException(datatype);
                }
            }
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
        request.addInputsBuilder().setName("input-0").setDatatype(datatype).addShape(rows.length)
                .addShape(rows[0].length).setContents(contents);
        return request;
    }

    /** One [B, n] input tensor of {@code rows} in {@code raw_input_contents}, little-endian. */
    static ModelInferRequest.Builder raw(String model, String datatype, double[][] rows) {
        int size = switch (datatype) {
            case "FP64", "INT64", "UINT64" -> 8;
            case "FP32", "INT32", "UINT32" -> 4;
            case "INT16", "UINT16" -> 2;
            default -> 1;
        };
        ByteBuffer bytes = ByteBuffer.allocate(rows.length * rows[0].length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                switch (datatype) {
                    case "FP64" -> bytes.putDouble(v);
                    case "FP32" -> bytes.putFloat((float) v);
                    case "INT64", "UINT64" -> bytes.putLong((long) v);
                    case "INT32", "UINT32" -> bytes.putInt((int) (long) v);
                    case "INT16", "UINT16" -> bytes.putShort((short) v);
                    default -> bytes.put((byte) v);
                }
            }
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
        request.addInputsBuilder().setName("input-0").setDatatype(datatype).addShape(rows.length)
                .addShape(rows[0].length);
        return request.addRawInputContents(ByteString.copyFrom(bytes.array()));
    }

    static InferParameter bool(boolean value) {
        return InferParameter.newBuilder().setBoolParam(value).build();
    }

    /** Output {@code o}'s FP64 values, from contents or raw_output_contents. */
    static double[] fp64(ModelInferResponse response, int o) {
        if (response.getRawOutputContentsCount() == 0) {
            return response.getOutputs(o).getContents().getFp64ContentsList().stream().mapToDouble(d -> d).toArray();
        }
        ByteBuffer bytes = response.getRawOutputContents(o).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[bytes.remaining() / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getDouble();
        }
        return values;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
