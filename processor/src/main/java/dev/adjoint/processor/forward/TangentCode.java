package dev.adjoint.processor.forward;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forward-mode code for one function: the statements, the tangent variable given for each input,
 * and the tangent variable that holds each output's derivative at the end.
 *
 * @param statements the body, tangents interleaved
 * @param inputTangents per differentiated parameter, its tangent (a parameter of the generated method)
 * @param outputTangents per output (the result, or each parameter's adjoint for Hessian-vector products)
 * @param usesTape whether the statements use the tape
 * @param unused inputs and adjoints the statements no longer need (their stores were dead), which
 *     the generated method need not declare
 */
public record TangentCode(
    List<Stmt> statements,
    Map<Variable, Variable> inputTangents,
    Map<Variable, Variable> outputTangents,
    boolean usesTape,
    Set<Variable> unused) {
  public TangentCode(
      List<Stmt> statements, Map<Variable, Variable> inputTangents, Map<Variable, Variable> outputTangents,
      boolean usesTape) {
    this(statements, inputTangents, outputTangents, usesTape, Set.of());
  }
}
