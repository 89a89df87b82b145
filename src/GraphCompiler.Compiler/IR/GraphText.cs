using System.Globalization;
using System.Text;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// The IR's text form: readable in snapshots and dumps, and parsed back exactly (tests round-trip
/// it; generated code embeds it so the reference interpreter can run the very graph that was compiled).
/// <code>
/// graph Loss
/// variable "W" f32[1] trainable init=constant(d[0.3], 0.0, 0.0, 0)
/// %0 = input() {dtype=dtype:f32, name="x", shape=shape:[n]} : f32[n] "x"
/// output loss = %5
/// effect %7
/// </code>
/// </summary>
public static class GraphText
{
    public static string Write(Graph g)
    {
        var sb = new StringBuilder();
        sb.Append("graph ").Append(g.Name).Append('\n');
        foreach (var v in g.Variables.Values.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            sb.Append("variable ").Append(Attrs.FormatValue(v.Name)).Append(' ').Append(v.DType.ShortName()).Append(Compact(v.Shape))
              .Append(v.Trainable ? " trainable" : " frozen")
              .Append(" init=").Append(v.Init.Kind).Append('(').Append(Attrs.FormatValue(v.Init.Values)).Append(", ")
              .Append(Attrs.FormatValue(v.Init.A)).Append(", ").Append(Attrs.FormatValue(v.Init.B)).Append(", ")
              .Append(v.Init.OpSeed.ToString(CultureInfo.InvariantCulture));
            if (v.Init.AExpression is not null || v.Init.BExpression is not null)
                sb.Append(", ").Append(Attrs.FormatValue(v.Init.AExpression ?? "")).Append(", ").Append(Attrs.FormatValue(v.Init.BExpression ?? ""));
            sb.Append(")\n");
        }
        foreach (var n in g.Nodes)
        {
            sb.Append('%').Append(n.Id).Append(" = ").Append(n.OpName).Append('(')
              .Append(string.Join(", ", n.Inputs.Select(i => "%" + i.Id))).Append(')');
            if (n.Attrs.Entries.Any()) sb.Append(' ').Append(n.Attrs);
            sb.Append(" : ").Append(n.DType.ShortName()).Append(Compact(n.Shape)).Append(' ').Append(Attrs.FormatValue(n.Name)).Append('\n');
        }
        foreach (var o in g.Outputs) sb.Append("output ").Append(o.Name).Append(" = %").Append(o.Node.Id).Append('\n');
        foreach (var e in g.Effects) sb.Append("effect %").Append(e.Id).Append('\n');
        return sb.ToString();
    }

    private static string Compact(Shape s) => s.ToString().Replace(" ", "");

    public static Graph Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0 || !lines[0].StartsWith("graph ", StringComparison.Ordinal)) throw new FormatException("IR text must start with 'graph <name>'");
        var variables = new Dictionary<string, VariableInfo>(StringComparer.Ordinal);
        int li = 1;
        for (; li < lines.Length && lines[li].StartsWith("variable ", StringComparison.Ordinal); li++)
        {
            var r = new Reader(lines[li], "variable ".Length);
            var name = (string)r.Value();
            r.Skip(' ');
            var (dtype, shape) = r.Type();
            r.Skip(' ');
            bool trainable = r.Word() == "trainable";
            r.Expect(" init=");
            var kind = r.Word();
            r.Expect("(");
            var values = (double[])r.Value();
            r.Expect(", ");
            var a = Convert.ToDouble(r.Value(), CultureInfo.InvariantCulture);
            r.Expect(", ");
            var b = Convert.ToDouble(r.Value(), CultureInfo.InvariantCulture);
            r.Expect(", ");
            var seed = (int)r.Value();
            string? aExpression = null, bExpression = null;
            if (r.Peek() == ',')
            {
                r.Expect(", ");
                aExpression = (string)r.Value();
                r.Expect(", ");
                bExpression = (string)r.Value();
            }
            variables[name] = new VariableInfo(name, dtype, shape, new InitSpec(kind, values, a, b, seed, aExpression is "" ? null : aExpression, bExpression is "" ? null : bExpression), trainable);
        }
        var builder = new GraphBuilder(lines[0].Substring(6), variables);
        var byId = new Dictionary<int, Node>();
        for (; li < lines.Length; li++)
        {
            var line = lines[li];
            if (line.StartsWith("output ", StringComparison.Ordinal))
            {
                var parts = line.Substring(7).Split(new[] { " = %" }, StringSplitOptions.None);
                builder.AddOutput(parts[0], byId[int.Parse(parts[1], CultureInfo.InvariantCulture)]);
                continue;
            }
            if (line.StartsWith("effect %", StringComparison.Ordinal))
            {
                builder.AddEffect(byId[int.Parse(line.Substring(8), CultureInfo.InvariantCulture)]);
                continue;
            }
            var rd = new Reader(line, 0);
            rd.Expect("%");
            int id = rd.Int();
            rd.Expect(" = ");
            var op = rd.Word();
            rd.Expect("(");
            var inputs = new List<Node>();
            while (rd.Peek() == '%')
            {
                rd.Expect("%");
                inputs.Add(byId[rd.Int()]);
                if (rd.Peek() == ',') rd.Expect(", ");
            }
            rd.Expect(")");
            var attrs = Attrs.Empty;
            if (rd.Peek() == ' ' && rd.PeekAt(1) == '{')
            {
                rd.Expect(" {");
                while (rd.Peek() != '}')
                {
                    var key = rd.Until('=');
                    rd.Expect("=");
                    attrs = attrs.With(key, rd.Value());
                    if (rd.Peek() == ',') rd.Expect(", ");
                }
                rd.Expect("}");
            }
            rd.Expect(" : ");
            rd.Type();
            rd.Skip(' ');
            var nodeName = (string)rd.Value();
            Node node = op switch
            {
                "input" => builder.Input(attrs.GetString("name"), attrs.GetDType("dtype"), attrs.GetShape("shape")),
                "variable" => builder.ReadVariable(attrs.GetString("name")),
                LoopOp.OpName => builder.Apply(LoopOp.FromAttrs(attrs), inputs, attrs, nodeName),
                _ => builder.Apply(op, inputs, attrs, nodeName),
            };
            if (node.Name != nodeName) throw new FormatException($"line {li + 1}: node name '{nodeName}' is not unique");
            byId[id] = node;
        }
        return builder.Build();
    }

    /// <summary>A tiny cursor over one line of IR text.</summary>
    private sealed class Reader
    {
        private readonly string _s;
        private int _p;

        public Reader(string s, int p)
        {
            _s = s;
            _p = p;
        }

        public char Peek() => _p < _s.Length ? _s[_p] : '\0';

        public char PeekAt(int k) => _p + k < _s.Length ? _s[_p + k] : '\0';

        public void Skip(char c)
        {
            while (Peek() == c) _p++;
        }

        public void Expect(string token)
        {
            if (string.CompareOrdinal(_s, _p, token, 0, token.Length) != 0)
                throw new FormatException($"expected '{token}' at column {_p + 1} of: {_s}");
            _p += token.Length;
        }

        public string Word()
        {
            int start = _p;
            while (_p < _s.Length && (char.IsLetterOrDigit(_s[_p]) || _s[_p] == '_')) _p++;
            return _s.Substring(start, _p - start);
        }

        public string Until(char c)
        {
            int start = _p;
            while (_p < _s.Length && _s[_p] != c) _p++;
            return _s.Substring(start, _p - start);
        }

        public int Int()
        {
            int start = _p;
            if (Peek() == '-') _p++;
            while (char.IsDigit(Peek())) _p++;
            return int.Parse(_s.Substring(start, _p - start), CultureInfo.InvariantCulture);
        }

        public (DType, Shape) Type()
        {
            var dtype = DTypes.Parse(Word());
            return (dtype, ShapeValue());
        }

        private Shape ShapeValue()
        {
            Expect("[");
            var dims = new List<Dim>();
            while (Peek() != ']')
            {
                var tok = UntilAny(',', ']');
                dims.Add(int.TryParse(tok, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? Dim.Of(v) : Dim.Sym(tok));
                if (Peek() == ',') _p++;
            }
            Expect("]");
            return new Shape(dims);
        }

        private string UntilAny(char a, char b)
        {
            int start = _p;
            while (_p < _s.Length && _s[_p] != a && _s[_p] != b) _p++;
            return _s.Substring(start, _p - start);
        }

        public object Value()
        {
            char c = Peek();
            if (c == '"')
            {
                _p++;
                var sb = new StringBuilder();
                while (Peek() != '"')
                {
                    if (Peek() == '\\' && _s[++_p] == 'n')
                    {
                        // A loop's body text is the one attribute spanning lines.
                        sb.Append('\n');
                        _p++;
                        continue;
                    }
                    sb.Append(_s[_p++]);
                }
                _p++;
                return sb.ToString();
            }
            if (c == '[')
            {
                _p++;
                var items = new List<int>();
                while (Peek() != ']')
                {
                    items.Add(Int());
                    if (Peek() == ',') _p++;
                }
                _p++;
                return items.ToArray();
            }
            if (c == 'd' && PeekAt(1) == '[')
            {
                _p += 2;
                var items = new List<double>();
                while (Peek() != ']')
                {
                    items.Add(double.Parse(UntilAny(',', ']'), NumberStyles.Float, CultureInfo.InvariantCulture));
                    if (Peek() == ',') _p++;
                }
                _p++;
                return items.ToArray();
            }
            if (_s.Length - _p >= 6 && string.CompareOrdinal(_s, _p, "dtype:", 0, 6) == 0)
            {
                _p += 6;
                return DTypes.Parse(Word());
            }
            if (_s.Length - _p >= 6 && string.CompareOrdinal(_s, _p, "shape:", 0, 6) == 0)
            {
                _p += 6;
                return ShapeValue();
            }
            var tok = UntilAny(',', '}');
            if (tok.IndexOf(')') >= 0) { _p -= tok.Length - tok.IndexOf(')'); tok = tok.Substring(0, tok.IndexOf(')')); }
            if (tok == "true") return true;
            if (tok == "false") return false;
            if (tok.EndsWith("L", StringComparison.Ordinal)) return long.Parse(tok.TrimEnd('L'), CultureInfo.InvariantCulture);
            if (int.TryParse(tok, NumberStyles.Integer, CultureInfo.InvariantCulture, out var iv)) return iv;
            return double.Parse(tok, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }
}
