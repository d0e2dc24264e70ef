using System.Text;

namespace Segmentation.Analytics.Ingest;

/// <summary>
/// One CSV record decoded to UTF-16 in a buffer reused from record to record, so that numeric fields are parsed without making a
/// string each; text fields become strings only where a text column keeps them.
/// </summary>
internal sealed class DecodedRecord
{
    private readonly int[] _starts;
    private char[] _buffer = new char[4096];

    internal DecodedRecord(int fields)
    {
        _starts = new int[fields + 1];
    }

    internal int Count => _starts.Length - 1;

    /// <summary>Field <paramref name="index"/> as decoded (not trimmed).</summary>
    internal ReadOnlySpan<char> Field(int index) => _buffer.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    /// <summary>Field <paramref name="index"/> as a new string.</summary>
    internal string Text(int index) => Field(index).ToString();

    /// <summary>Starts a record.</summary>
    internal void Clear() => _starts[0] = 0;

    /// <summary>Appends field <paramref name="index"/> (fields are appended in order) from its UTF-8 bytes, which must be valid.</summary>
    internal void Append(int index, ReadOnlySpan<byte> utf8)
    {
        var start = _starts[index];
        var needed = start + Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        _starts[index + 1] = start + Encoding.UTF8.GetChars(utf8, _buffer.AsSpan(start));
    }

    /// <summary>Appends field <paramref name="index"/> from text.</summary>
    internal void Append(int index, ReadOnlySpan<char> text)
    {
        var start = _starts[index];
        if (start + text.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(start + text.Length, _buffer.Length * 2));
        }

        text.CopyTo(_buffer.AsSpan(start));
        _starts[index + 1] = start + text.Length;
    }

    /// <summary>The fields as strings (the first rows, which decide the column kinds, are kept this way).</summary>
    internal string[] ToStrings()
    {
        var fields = new string[Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Text(i);
        }

        return fields;
    }

    /// <summary>Fills the record from strings.</summary>
    internal void From(string[] fields)
    {
        Clear();
        for (var i = 0; i < fields.Length; i++)
        {
            Append(i, fields[i].AsSpan());
        }
    }
}
