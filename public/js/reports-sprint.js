/*
 * Sprint report page: draws committed vs completed per assignee (Chart.js) from the JSON the
 * server put in #chart-sprint's data-chart ({unit, labels, committed, completed}).
 * The canvas's data-state ends as "ready" or "error".
 */
/* global Chart */
(function () {
  'use strict';

  const canvas = document.getElementById('chart-sprint');
  if (!canvas) return;
  try {
    const data = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.labels,
        datasets: [
          {
            label: 'Committed (' + data.unit + ')',
            data: data.committed,
            backgroundColor: '#8a939b',
          },
          {
            label: 'Completed (' + data.unit + ')',
            data: data.completed,
            backgroundColor: '#2e8b57',
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true } },
      },
    });
    canvas.dataset.state = 'ready';
  } catch (error) {
    canvas.dataset.state = 'error';
    throw error;
  }
})();
