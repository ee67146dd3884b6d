"""A plain grpcio client of the Open Inference Protocol, from stubs protoc generated from the public
grpc_predict_v2.proto: the way a KServe or Triton user calls a V2 server. Prints what it got as JSON.

usage: infer_client.py PORT MODEL API_KEY
"""
import json
import struct
import sys

import grpc

import grpc_predict_v2_pb2 as pb
import grpc_predict_v2_pb2_grpc as pb_grpc

port, model, key = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [[0.25, -0.5, 1.0], [0.0, 0.1, -0.1]]
auth = (("authorization", "Bearer " + key),)

with grpc.insecure_channel("localhost:" + port) as channel:
    stub = pb_grpc.GRPCInferenceServiceStub(channel)
    out = {
        "live": stub.ServerLive(pb.ServerLiveRequest()).live,
        "ready": stub.ServerReady(pb.ServerReadyRequest()).ready,
        "server": stub.ServerMetadata(pb.ServerMetadataRequest()).name,
        "model_ready": stub.ModelReady(pb.ModelReadyRequest(name=model)).ready,
    }
    metadata = stub.ModelMetadata(pb.ModelMetadataRequest(name=model))
    out["versions"] = list(metadata.versions)
    out["input_shape"] = list(metadata.inputs[0].shape)

    # FP64 in contents.
    tensor = pb.ModelInferRequest.InferInputTensor(
        name="input-0", datatype="FP64", shape=[len(rows), len(rows[0])],
        contents=pb.InferTensorContents(fp64_contents=[v for row in rows for v in row]))
    answer = stub.ModelInfer(pb.ModelInferRequest(model_name=model, id="py-1", inputs=[tensor]), metadata=auth)
    out["id"] = answer.id
    out["version"] = answer.model_version
    out["contents"] = list(answer.outputs[0].contents.fp64_contents)
    out["shape"] = list(answer.outputs[0].shape)

    # FP64 as raw little-endian bytes, as tritonclient sends them; the outputs come back raw.
    raw = struct.pack("<%dd" % (len(rows) * len(rows[0])), *[v for row in rows for v in row])
    tensor = pb.ModelInferRequest.InferInputTensor(name="input-0", datatype="FP64", shape=[len(rows), len(rows[0])])
    answer = stub.ModelInfer(pb.ModelInferRequest(model_name=model, inputs=[tensor], raw_input_contents=[raw]),
                             metadata=auth)
    data = answer.raw_output_contents[0]
    out["raw"] = list(struct.unpack("<%dd" % (len(data) // 8), data))

    for name, metadata in (("unknown", auth), ("no_key", ())):
        try:
            stub.ModelInfer(pb.ModelInferRequest(model_name="nope" if name == "unknown" else model, inputs=[tensor],
                                                 raw_input_contents=[raw]), metadata=metadata)
            out[name] = None
        except grpc.RpcError as e:
            out[name] = {"code": e.code().name, "details": e.details()}

print(json.dumps(out))
