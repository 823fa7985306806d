using Google.Protobuf;

namespace DeepLearning.Tests.Onnx;

/// <summary>Reads the few fields of an ONNX <c>ModelProto</c> the tests check, straight from the protobuf wire format.</summary>
internal sealed class OnnxModelInspector
{
    // Field numbers from onnx.proto: ModelProto.graph = 7, opset_import = 8; OperatorSetIdProto.domain = 1,
    // version = 2; GraphProto.node = 1; NodeProto.output = 2, op_type = 4, domain = 7.
    public OnnxModelInspector(byte[] model)
    {
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 7:
                    ReadGraph(input.ReadBytes());
                    break;
                case 8:
                    var (domain, version) = ReadOpset(input.ReadBytes());
                    Opsets[domain] = version;
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }

    /// <summary>Opset version by domain ("" is the standard domain).</summary>
    public Dictionary<string, long> Opsets { get; } = [];

    /// <summary>Operator of every node, in graph order.</summary>
    public List<string> OpTypes { get; } = [];

    /// <summary>Output variable names of every node, in graph order.</summary>
    public List<string> NodeOutputs { get; } = [];

    private void ReadGraph(ByteString graph)
    {
        var input = graph.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                var node = input.ReadBytes();
                OpTypes.Add(ReadString(node, 4));
                NodeOutputs.AddRange(ReadStrings(node, 2));
            }
            else
            {
                input.SkipLastField();
            }
        }
    }

    private static (string Domain, long Version) ReadOpset(ByteString opset)
    {
        var input = opset.CreateCodedInput();
        var (domain, version) = (string.Empty, 0L);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    domain = input.ReadString();
                    break;
                case 2:
                    version = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (domain, version);
    }

    private static List<string> ReadStrings(ByteString message, int field)
    {
        var input = message.CreateCodedInput();
        var values = new List<string>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field)
            {
                values.Add(input.ReadString());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return values;
    }

    private static string ReadString(ByteString message, int field)
    {
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field)
            {
                return input.ReadString();
            }

            input.SkipLastField();
        }

        return string.Empty;
    }
}
