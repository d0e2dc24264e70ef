namespace Segmentation.Analytics;

/// <summary>
/// The data or settings cannot be analysed as asked (too few rows, no usable features, k larger than the distinct rows, …).
/// The message is for the user and says what to change.
/// </summary>
public class AnalysisInputException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public AnalysisInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public AnalysisInputException()
        : this("The data cannot be analysed with these settings.")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public AnalysisInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
